package io.tokengate.config;

import java.time.Duration;
import java.util.List;

import static java.time.Duration.ZERO;
import static java.time.Duration.ofDays;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;

/**
 * tokengate's configuration schema: every key, its type, default, accepted range and one line of documentation.
 * {@code config/tokengate.yaml} (the documented defaults) and docs/configuration.md are checked against it by tests.
 * A later feature adds its keys here; a named section is a key path with a {@code <name>} placeholder.
 */
public final class ConfigKeys {

  public static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug", "trace");

  public static final ConfigSchema SCHEMA = ConfigSchema.builder()
    .string("issuer", "http://localhost:8080",
      "The issuer identifier (RFC 8414): `iss` of every token and base of every advertised URL; your public https URL")

    .string("http.host", "0.0.0.0", "Address of the public listener")
    .integer("http.port", 8080, 0, 65535, "Port of the public listener (0: any free port)")
    .integer("http.event_loops", 0, 0, 1024, "Event loops and HTTP verticle instances; 0: one per CPU core")
    .integer("http.body_limit", 65536, 1024, 16 * 1024 * 1024, "Largest request body in bytes; larger bodies get 413")
    .duration("http.shutdown_delay", "0s", ZERO, ofMinutes(5),
      "After SIGTERM, readiness is down but requests are still served this long, so balancers stop sending first")
    .duration("http.shutdown_grace", "20s", ZERO, ofMinutes(10),
      "Then the port closes and in-flight requests get this long to finish")
    .string("http.tls.certificate_file", "", "PEM certificate chain: HTTPS on the public port (empty: plain HTTP)")
    .string("http.tls.key_file", "", "Its PKCS#8 private key (PEM)")
    .list("http.trusted_proxies", List.of(),
      "Addresses and CIDR blocks of the proxies in front of tokengate, whose forwarded address and Client-Cert count")

    .oneOf("http.client_address_header", "x-forwarded-for", List.of("x-forwarded-for", "forwarded", "none"),
      "Where a trusted proxy's hops give the client address (rate limits, audit): one header only, or none")
    .duration("http.request_timeout", "10s", ofSeconds(1), ofMinutes(10),
      "Longest time to receive a whole request, headers and body; a slower client gets 408 and is disconnected")

    .string("management.host", "0.0.0.0", "Address of the management listener (metrics, health)")
    .integer("management.port", 9000, 0, 65535, "Port of the management listener; never expose it publicly")

    .url("database.url", "postgresql://postgres@127.0.0.1:5432/tokengate",
      "postgresql://user[:password]@host[:port]/database[?sslmode=require]; its password is never printed")
    .integer("database.pool_size", 8, 1, 1000, "Connections per replica")
    .integer("database.max_wait_queue", 256, 0, 1_000_000, "Requests waiting for a connection; beyond it, 503 at once")
    .duration("database.connect_timeout", "2s", ofMillis(1), ofMinutes(5), "Time to open a connection, then 503")
    .duration("database.acquire_timeout", "2s", ofMillis(1), ofMinutes(5), "Time to wait for a pooled connection, then 503")
    .duration("database.statement_timeout", "5s", ofMillis(1), ofHours(1), "PostgreSQL statement_timeout")
    .oneOf("database.pooler_mode", "session", List.of("session", "transaction"),
      "session: PostgreSQL directly or a session-mode pooler; transaction: a transaction-mode pooler (PgBouncer)")
    .bool("database.migrate_on_start", true,
      "Apply schema migrations when `serve` starts; false: a migration Job owns the schema")

    .integer("hashing.threads", 0, 0, 1024, "Password-hashing threads; 0: one per CPU core")
    .integer("hashing.queue_size", 32, 0, 1_000_000, "Hashes that may wait for a thread; beyond it, 503 + Retry-After")
    .oneOf("hashing.implementation", "auto", List.of("auto", "native", "java"),
      "auto: libsodium (SIMD) when it loads, else Bouncy Castle; native: libsodium or refuse to start; java")
    .integer("hashing.argon2.memory_kib", 7168, 8, 65536, "Argon2id memory for new hashes (KiB)")
    .integer("hashing.argon2.iterations", 5, 1, 100, "Argon2id passes for new hashes")
    .integer("hashing.argon2.parallelism", 1, 1, 64, "Argon2id lanes for new hashes (libsodium needs 1)")

    .oneOf("tokens.signing_algorithm", "ES256", List.of("ES256", "EdDSA", "PS256", "RS256"), "Algorithm of new signing keys")
    .string("tokens.jwks_file", "", "JWKS file with private keys (a mounted Secret); empty: a key generated once into the database")
    .duration("tokens.jwks_reload_interval", "10s", ZERO, ofHours(1),
      "How often the JWKS file is checked for a replacement; 0s: never")
    .duration("tokens.keys_reload_interval", "30s", ofSeconds(1), ofHours(1),
      "How often each replica reads the signing keys in the database (keys rotate, take-overs, retirements)")
    .duration("tokens.key_publication_delay", "1h", ZERO, ofDays(30),
      "keys rotate publishes the next key at once and signs with it this much later; longer than resource servers cache the JWKS")
    .string("tokens.audience", "", "`aud` of access tokens; empty: the issuer")
    .duration("tokens.access_token_lifetime", "5m", ofMinutes(1), ofHours(24), "For clients without their own")
    .duration("tokens.refresh_token_lifetime", "8h", ofMinutes(1), ofDays(3650),
      "Absolute, from the password grant; for clients without their own")
    .duration("tokens.refresh_token_idle_timeout", "0s", ZERO, ofDays(3650),
      "A refresh token unused this long expires; 0s: none; for clients without their own")
    .duration("tokens.refresh_token_reuse_grace", "0s", ZERO, ofMinutes(1),
      "The token just rotated away is honoured once more within this window; 0s: off")
    .size("tokens.max_size", "8KiB", 1024, 1024 * 1024,
      "A token that would be larger is refused (server_error, the largest claim in the audit line), never truncated")

    .string("claims.access_token.<claim>", "",
      "Access-token claim made of a user attribute (or `groups`), e.g. email: mail; only when the user has it")
    .string("claims.id_token.<claim>", "",
      "The same for ID tokens and userinfo; also what the profile, email, phone and address scopes release")

    .secret("oidc.pairwise_key",
      "32 bytes, base64: key of pairwise subjects (OIDC Core §8); empty: generated once, sealed in the database")

    .duration("clients.cache_ttl", "5s", ZERO, ofMinutes(10), "How long a replica caches a client record")
    .secret("clients.secret_encryption_key",
      "Deprecated (use secrets.sealing_keys): the key that sealed client_secret_jwt secrets; opens them still")
    .string("clients.tls_ca_file", "", "CA certificates (PEM) issuing tls_client_auth certificates; empty: unavailable")
    .duration("clients.assertion_max_lifetime", "5m", ofSeconds(10), ofHours(1), "Client assertions must expire within this")
    .duration("clients.clock_skew", "30s", ZERO, ofMinutes(5), "Tolerated clock difference for assertion times")
    .duration("clients.jwks_uri.timeout", "2s", ofMillis(100), ofMinutes(1), "Time for the whole fetch of a jwks_uri")
    .integer("clients.jwks_uri.max_bytes", 65536, 1024, 4 * 1024 * 1024, "Largest key set accepted from a jwks_uri")
    .duration("clients.jwks_uri.cache_ttl", "5m", ofSeconds(1), ofDays(1), "A fetched key set is used this long")
    .duration("clients.jwks_uri.refetch_interval", "30s", ZERO, ofHours(1),
      "An unknown kid triggers a refetch at most this often per jwks_uri")

    .duration("maintenance.purge_interval", "1m", ofSeconds(1), ofDays(1), "How often expired rows are deleted")
    .integer("maintenance.purge_batch_size", 500, 1, 100_000, "Rows deleted per batch")

    .integer("limits.username_max_length", 256, 1, 4096, "Characters")
    .integer("limits.password_max_length", 1024, 8, 4096, "Characters")

    .integer("lockout.threshold", 10, 0, 1000, "Consecutive failures that lock a username; 0: no lockout")
    .duration("lockout.base_delay", "1m", ofSeconds(1), ofDays(1), "Length of the first lock")
    .duration("lockout.max_delay", "15m", ofSeconds(1), ofDays(7), "Each further failure doubles the lock up to this")
    .duration("lockout.reset_after", "1h", ofMinutes(1), ofDays(30), "No failure for this long starts the count again")

    .integer("rate_limits.per_address", 0, 0, 1_000_000, "Requests per second from one address, per replica; 0: none")
    .integer("rate_limits.per_address_burst", 100, 1, 1_000_000, "Burst of the per-address limit")
    .integer("rate_limits.per_client", 0, 0, 1_000_000,
      "Token requests per second of one client, per replica, for clients without their own; 0: none")

    .secret("users.username_key",
      "32 bytes, base64: HMAC key of usernames in lockout counts and audit lines; never rotated; empty: generated once into the database")

    .secret("totp.encryption_key", "Deprecated (use secrets.sealing_keys): the key that sealed TOTP secrets; opens them still")
    .string("totp.issuer", "tokengate", "The name authenticator apps show next to the account")

    .duration("dpop.proof_lifetime", "1m", ofSeconds(1), ofMinutes(10), "How old a DPoP proof's iat may be")
    .duration("dpop.clock_skew", "5s", ZERO, ofMinutes(5), "How far in the future a proof's iat may be")

    .secretList("secrets.sealing_keys",
      "Keys sealing secrets at rest, each id:base64 of 32 bytes; the first seals, all open (keys reseal moves rows to the first)")

    .string("password_grant.sunset_link", "",
      "Migration documentation, sent as `Link: <URL>; rel=\"deprecation\"` with the sunset headers; empty: no Link")
    .duration("password_grant.usage_retention", "400d", ofDays(2), ofDays(3650),
      "Daily password-grant usage per client is kept this long")
    .duration("password_grant.usage_flush_interval", "30s", ofSeconds(1), ofHours(1),
      "Each replica adds its in-memory usage counts this often (what a replica that dies loses at most)")

    .oneOf("logging.format", "text", List.of("text", "json"), "text: one line per record; json: one JSON object per line")
    .oneOf("logging.level", "info", LOG_LEVELS, "Least severe level logged")
    .string("logging.levels", "",
      "Per-logger levels as one string, e.g. io.netty=warn,io.tokengate.audit=info")
    .build();

  private ConfigKeys() {
  }

}
