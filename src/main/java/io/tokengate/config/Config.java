package io.tokengate.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The whole configuration, typed and validated once by {@link ConfigLoader}. */
public record Config(
  URI issuer,
  Http http,
  Management management,
  Database database,
  Hashing hashing,
  Tokens tokens,
  Clients clients,
  Maintenance maintenance,
  Limits limits,
  Dpop dpop,
  Lockout lockout,
  Totp totp,
  RateLimits rateLimits,
  Secrets secrets,
  Logs logs,
  PasswordGrant passwordGrant,
  Users users,
  Claims claims,
  Oidc oidc) {

  /**
   * {@code claims.access_token} and {@code claims.id_token}: claim name to user attribute (or {@code groups}),
   * checked never to name a claim tokengate owns.
   */
  public record Claims(Map<String, String> accessToken, Map<String, String> idToken) {
  }

  /** @param pairwiseKey {@code oidc.pairwise_key}: 32 bytes; empty: generated once and kept in the database */
  public record Oidc(Optional<byte[]> pairwiseKey) {

    /** Never the key. */
    @Override
    public String toString() {
      return "Oidc[pairwiseKey=" + (pairwiseKey.isPresent() ? "set" : "generated") + "]";
    }
  }

  /** @param usernameKey {@code users.username_key}: 32 bytes; empty: generated once and kept in the database */
  public record Users(Optional<byte[]> usernameKey) {

    /** Never the key. */
    @Override
    public String toString() {
      return "Users[usernameKey=" + (usernameKey.isPresent() ? "set" : "generated") + "]";
    }
  }


  /** @param sealingKeys {@code secrets.sealing_keys}: the first seals, all open */
  public record Secrets(java.util.List<io.tokengate.crypto.SealingKey> sealingKeys) {

    /** Never a key. */
    @Override
    public String toString() {
      return "Secrets[" + sealingKeys + "]";
    }
  }

  /**
   * The keyring that seals and opens every secret at rest: {@code secrets.sealing_keys}, and the deprecated
   * per-purpose keys of earlier releases as read-only members for what they sealed.
   */
  public io.tokengate.crypto.Keyring keyring() {
    java.util.Map<io.tokengate.crypto.Purpose, byte[]> legacy = new java.util.EnumMap<>(io.tokengate.crypto.Purpose.class);
    clients.secretEncryptionKey().ifPresent(key -> legacy.put(io.tokengate.crypto.Purpose.CLIENT_SECRET, key));
    totp.encryptionKey().ifPresent(key -> legacy.put(io.tokengate.crypto.Purpose.TOTP_SECRET, key));
    return new io.tokengate.crypto.Keyring(secrets.sealingKeys(), legacy);
  }

  /**
   * {@code port} 0 means any free port (tests).
   *
   * @param shutdownDelay  how long, after SIGTERM, readiness is down while requests are still accepted, so that load
   *                       balancers stop sending before the port closes
   * @param tls            HTTPS (requesting client certificates), or empty for plain HTTP behind a TLS proxy
   * @param trustedProxies addresses and CIDR blocks whose forwarded client certificate ({@code Client-Cert}) counts
   */
  /**
   * @param clientAddressHeader where a trusted proxy's hops are read from
   * @param requestTimeout      longest time to receive a whole request (headers and body)
   */
  public record Http(String host, int port, int eventLoops, int bodyLimit, Duration shutdownDelay,
                     Duration shutdownGrace, Optional<Tls> tls, String trustedProxies,
                     ClientAddressHeader clientAddressHeader, Duration requestTimeout) {
  }

  /** {@code http.client_address_header}: one header only, so that a client cannot pick the one it wrote. */
  public enum ClientAddressHeader {
    X_FORWARDED_FOR, FORWARDED, NONE;

    public static final java.util.Map<String, ClientAddressHeader> NAMES = java.util.Map.of(
      "x-forwarded-for", X_FORWARDED_FOR, "forwarded", FORWARDED, "none", NONE);
  }

  /** PEM files of the server's certificate chain and private key (PKCS#8). */
  public record Tls(Path certificateFile, Path keyFile) {
  }

  public record Management(String host, int port) {
  }

  public record Database(
    DatabaseUrl url,
    int poolSize,
    int maxWaitQueue,
    Duration connectTimeout,
    Duration acquireTimeout,
    Duration statementTimeout,
    boolean transactionPooling,
    boolean migrateOnStart) {
  }

  /** @param implementation "auto" (libsodium when it loads, else Bouncy Castle), "native" or "java" */
  public record Hashing(int threads, int queueSize, int argon2MemoryKib, int argon2Iterations, int argon2Parallelism,
                        String implementation) {
  }

  /**
   * A zero idle timeout or reuse grace means none.
   *
   * @param jwksReloadInterval how often a JWKS file is checked for a replacement; zero: never
   */
  public record Tokens(String signingAlgorithm, Optional<Path> jwksFile, String audience, Duration accessTokenLifetime,
                       Duration refreshTokenLifetime, Duration refreshTokenIdleTimeout, Duration refreshTokenReuseGrace,
                       Duration jwksReloadInterval, Duration keysReloadInterval, Duration keyPublicationDelay,
                       long maxSize) {
  }

  /**
   * @param secretEncryptionKey AES-256 key sealing client_secret_jwt secrets; without it that method is unavailable
   * @param tlsCaFile           CA certificates (PEM) trusted for tls_client_auth; without it that method is unavailable
   * @param clockSkew           tolerated difference between a client's clock and ours, for assertion times
   */
  public record Clients(Duration cacheTtl, Optional<byte[]> secretEncryptionKey, Optional<Path> tlsCaFile,
                        Duration assertionMaxLifetime, Duration clockSkew, JwksUri jwksUri) {

    /** Never the key. */
    @Override
    public String toString() {
      return "Clients[cacheTtl=" + cacheTtl + ", secretEncryptionKey=" + (secretEncryptionKey.isPresent() ? "set" : "none")
        + ", tlsCaFile=" + tlsCaFile + ", assertionMaxLifetime=" + assertionMaxLifetime + ", clockSkew=" + clockSkew
        + ", jwksUri=" + jwksUri + "]";
    }
  }

  /** Fetching clients' key sets from their jwks_uri. */
  public record JwksUri(Duration timeout, int maxBytes, Duration cacheTtl, Duration refetchInterval) {
  }

  /**
   * @param threshold  consecutive failures that lock a username; 0: no lockout
   * @param resetAfter a username without failures this long starts counting again
   */
  public record Lockout(int threshold, Duration baseDelay, Duration maxDelay, Duration resetAfter) {
  }

  /**
   * @param encryptionKey AES-256 key sealing users' TOTP secrets; without it nobody can enroll
   * @param issuer        the name authenticator apps show next to the account
   */
  public record Totp(Optional<byte[]> encryptionKey, String issuer) {

    /** Never the key. */
    @Override
    public String toString() {
      return "Totp[encryptionKey=" + (encryptionKey.isPresent() ? "set" : "none") + ", issuer=" + issuer + "]";
    }
  }

  /**
   * Requests per second on each replica; 0: no limit.
   *
   * @param perClient for clients without their own ({@code client create --rate-limit}); their burst is twice it
   */
  public record RateLimits(int perAddress, int perAddressBurst, int perClient) {
  }

  /**
   * @param format "text" or "json"
   * @param level  the least severe level logged: error, warn, info, debug or trace
   * @param levels per-logger levels overriding it, by logger name
   */
  public record Logs(String format, String level, java.util.Map<String, String> levels) {
  }

  /** @param proofLifetime how old a DPoP proof's {@code iat} may be */
  public record Dpop(Duration proofLifetime, Duration clockSkew) {
  }

  public record Maintenance(Duration purgeInterval, int purgeBatchSize) {
  }

  public record Limits(int usernameMaxLength, int passwordMaxLength) {
  }

  /**
   * Retiring the password grant client by client.
   *
   * @param sunsetLink          documentation of the migration, sent as a {@code Link} with the Deprecation and
   *                            Sunset headers; empty: no Link
   * @param usageRetention      how long daily usage rows are kept
   * @param usageFlushInterval  how often a replica adds what it counted to the daily rows: what a replica that dies
   *                            loses at most
   */
  public record PasswordGrant(Optional<URI> sunsetLink, Duration usageRetention, Duration usageFlushInterval) {
  }

  /** The URL of an endpoint of this server, as clients reach it. */
  public String endpointUrl(String path) {
    return issuer.toString() + path;
  }
}
