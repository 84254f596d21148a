package io.tokengate.client;

import io.tokengate.config.Durations;
import io.tokengate.oauth.Scopes;
import io.tokengate.user.OtpPolicy;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.concurrent.atomic.AtomicReference;

/** Registers clients: what the CLI's {@code client create} does (and what test fixtures use). */
public final class ClientRegistration {

  private static final Duration MIN_LIFETIME = Duration.ofMinutes(1);
  private static final Duration MAX_LIFETIME = Duration.ofHours(24);
  private static final Duration MAX_REFRESH_LIFETIME = Duration.ofDays(3650);
  private static final int MIN_CHOSEN_SECRET_LENGTH = 16;
  private static final int MIN_HMAC_SECRET_LENGTH = 32;

  /** Secret methods unless the operator names others: what a legacy client with an id and a secret can use. */
  public static final Set<ClientAuthMethod> DEFAULT_AUTH_METHODS =
    Set.copyOf(EnumSet.of(ClientAuthMethod.CLIENT_SECRET_BASIC, ClientAuthMethod.CLIENT_SECRET_POST));

  /**
   * @param secret              a secret chosen by the operator, or empty to generate one (for clients whose methods
   *                            use one)
   * @param keys                its public keys, jwks_uri, certificate identity or thumbprints (never a sealed secret:
   *                            that is made here)
   * @param passwordGrantSunset when its password grant is to end, if already known
   */
  public record Request(String clientId, Set<String> grantTypes, List<String> scopes, List<String> defaultScopes,
                        Optional<String> secret, Optional<Duration> accessTokenLifetime,
                        Optional<Duration> refreshTokenLifetime, Optional<Duration> refreshTokenIdleTimeout,
                        Set<ClientAuthMethod> authMethods, ClientKeys keys, boolean certificateBound,
                        boolean requiresDpop, OtpPolicy otpPolicy, Optional<Integer> rateLimit,
                        Optional<Instant> passwordGrantSunset) {

    /** A secret-authenticated client. */
    public Request(String clientId, Set<String> grantTypes, List<String> scopes, List<String> defaultScopes,
                   Optional<String> secret, Optional<Duration> accessTokenLifetime,
                   Optional<Duration> refreshTokenLifetime, Optional<Duration> refreshTokenIdleTimeout) {
      this(clientId, grantTypes, scopes, defaultScopes, secret, accessTokenLifetime, refreshTokenLifetime,
        refreshTokenIdleTimeout, DEFAULT_AUTH_METHODS, ClientKeys.NONE, false, false, OtpPolicy.IF_ENROLLED,
        Optional.empty(), Optional.empty());
    }

    /** A secret-authenticated client with the configured token lifetimes. */
    public Request(String clientId, Set<String> grantTypes, List<String> scopes, List<String> defaultScopes,
                   Optional<String> secret, Optional<Duration> accessTokenLifetime) {
      this(clientId, grantTypes, scopes, defaultScopes, secret, accessTokenLifetime, Optional.empty(), Optional.empty());
    }

    public Request authenticatingWith(Set<ClientAuthMethod> methods, ClientKeys clientKeys) {
      return new Request(clientId, grantTypes, scopes, defaultScopes, secret, accessTokenLifetime,
        refreshTokenLifetime, refreshTokenIdleTimeout, methods, clientKeys, certificateBound, requiresDpop, otpPolicy,
        rateLimit, passwordGrantSunset);
    }

    public Request constrainingTokens(boolean toCertificate, boolean toDpopKey) {
      return new Request(clientId, grantTypes, scopes, defaultScopes, secret, accessTokenLifetime,
        refreshTokenLifetime, refreshTokenIdleTimeout, authMethods, keys, toCertificate, toDpopKey, otpPolicy,
        rateLimit, passwordGrantSunset);
    }

    public Request withPolicies(OtpPolicy otp, Optional<Integer> requestsPerSecond) {
      return new Request(clientId, grantTypes, scopes, defaultScopes, secret, accessTokenLifetime,
        refreshTokenLifetime, refreshTokenIdleTimeout, authMethods, keys, certificateBound, requiresDpop, otp,
        requestsPerSecond, passwordGrantSunset);
    }

    /** @param sunset from when its password grant is refused (in the past: at once) */
    public Request retiringPasswordGrantAt(Optional<Instant> sunset) {
      return new Request(clientId, grantTypes, scopes, defaultScopes, secret, accessTokenLifetime,
        refreshTokenLifetime, refreshTokenIdleTimeout, authMethods, keys, certificateBound, requiresDpop, otpPolicy,
        rateLimit, sunset);
    }

    boolean usesSecret() {
      return authMethods.stream().anyMatch(ClientAuthMethod::usesSecret);
    }

    /** Never the secret. */
    @Override
    public String toString() {
      return "ClientRegistration.Request[" + clientId + ", " + authMethods + ", " + keys + "]";
    }
  }

  /** @param generatedSecret the secret, when tokengate generated it: shown once, never stored */
  public record Registered(Client client, Optional<String> generatedSecret) {
  }

  private final ClientRecords store;
  private final ClientSecrets secrets;
  private final Optional<ClientSecretSealer> sealer;
  private final Set<String> supportedGrants;
  private final Clock clock;

  public ClientRegistration(ClientRecords store, ClientSecrets secrets, Optional<ClientSecretSealer> sealer,
                            Set<String> supportedGrants) {
    this(store, secrets, sealer, supportedGrants, Clock.systemUTC());
  }

  /** @param clock the time a password-grant sunset is announced at (its Deprecation date) */
  public ClientRegistration(ClientRecords store, ClientSecrets secrets, Optional<ClientSecretSealer> sealer,
                            Set<String> supportedGrants, Clock clock) {
    this.store = store;
    this.secrets = secrets;
    this.sealer = sealer;
    this.supportedGrants = Set.copyOf(supportedGrants);
    this.clock = clock;
  }

  public Future<Registered> register(Request request) {
    Optional<PasswordGrantSunset> sunset = request.passwordGrantSunset()
      .map(at -> PasswordGrantSunset.announce(at, clock.instant(), Optional.empty()));
    try {
      requireNotUserShaped(request.clientId());
      validate(client(request, sunset, Optional.empty()));
      ClientKeyValidation.validate(request.authMethods(), request.keys(), sealer.isPresent());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Future<Optional<NewSecret>> secret = request.usesSecret()
      ? newSecret(request.clientId(), request.secret(), request.authMethods()).map(Optional::of)
      : Future.succeededFuture(Optional.empty());
    return secret.compose(made -> store.insert(client(request, sunset, made))
      .map(inserted -> new Registered(inserted.orElseThrow(() ->
        new IllegalStateException("client " + request.clientId() + " already exists")),
        made.flatMap(NewSecret::generated))));
  }

  /**
   * Changes what {@link ClientUpdate} names, checked like a registration; the client's credential stays. Replicas
   * see the change within the client cache TTL.
   *
   * @return the client before and after
   */
  public Future<Updated> update(String clientId, ClientUpdate update) {
    AtomicReference<Client> before = new AtomicReference<>();
    return store.update(clientId, stored -> {
      before.set(stored);
      Client changed = update.applyTo(stored, clock.instant());
      validate(changed);
      return changed;
    }).map(updated -> new Updated(before.get(), updated.orElseThrow(() ->
      new IllegalStateException("no client " + clientId))));
  }

  /**
   * A registration as {@code tokengate apply} declares it, checked exactly as {@link #register} checks one, with its
   * secret's stored forms. The secret of {@code existing} is kept (no rotation) when the declared secret is the one
   * it already has; its enabled flag and an earlier sunset announcement stay too. Nothing is written.
   */
  public Future<Client> declared(Request request, Optional<Client> existing) {
    Optional<PasswordGrantSunset> sunset = request.passwordGrantSunset().map(at -> PasswordGrantSunset.announce(at,
      clock.instant(), existing.flatMap(Client::passwordGrantSunset)));
    try {
      if (existing.isEmpty()) {
        requireNotUserShaped(request.clientId());
      }
      validate(client(request, sunset, Optional.empty()));
      ClientKeyValidation.validate(request.authMethods(), request.keys(), sealer.isPresent());
      if (request.usesSecret() && request.secret().isEmpty()) {
        throw new IllegalArgumentException("a secret method needs secret_file: tokengate apply generates no secret");
      }
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (!request.usesSecret()) {
      return Future.succeededFuture(enabledAs(client(request, sunset, Optional.empty()), existing));
    }
    Optional<Client> sameSecret = existing.filter(client -> client.secretHash() != null
      && client.authMethods().contains(ClientAuthMethod.CLIENT_SECRET_JWT)
      == request.authMethods().contains(ClientAuthMethod.CLIENT_SECRET_JWT));
    Future<Boolean> unchanged = sameSecret.isEmpty() ? Future.succeededFuture(false)
      : secrets.verify(request.clientId(), request.secret().get(), sameSecret.get().secretHash());
    return unchanged.compose(same -> same
      ? Future.succeededFuture(new NewSecret(sameSecret.get().secretHash(), sameSecret.get().keys().sealedSecret(),
        Optional.empty()))
      : newSecret(request.clientId(), request.secret(), request.authMethods()))
      .map(secret -> enabledAs(client(request, sunset, Optional.of(secret)), existing));
  }

  private static Client enabledAs(Client declared, Optional<Client> existing) {
    boolean enabled = existing.map(Client::enabled).orElse(true);
    return new Client(declared.clientId(), declared.secretHash(), declared.authMethods(), declared.grantTypes(),
      declared.scopes(), declared.defaultScopes(), declared.accessTokenTtl(), declared.refreshTokenTtl(),
      declared.refreshTokenIdle(), enabled, declared.keys(), declared.certificateBound(), declared.requiresDpop(),
      declared.otpPolicy(), declared.rateLimit(), declared.passwordGrantSunset(),
      existing.map(Client::tokenProfile).orElse(declared.tokenProfile()));
  }

  /**
   * Replaces how a client authenticates, checked as {@link #register} checks it. A client that now needs a secret
   * it lacks (or an HMAC key for client_secret_jwt that is not sealed) gets a generated one; a client without a
   * secret method loses its secret.
   *
   * @return the generated secret (shown once), if one was needed
   */
  public Future<Optional<String>> changeCredential(String clientId, UnaryOperator<Client> change) {
    return store.findById(clientId).compose(found -> {
      Client before = found.orElseThrow(() -> new IllegalStateException("no client " + clientId));
      Client changed = change.apply(before);
      ClientKeyValidation.validate(changed.authMethods(), changed.keys(), sealer.isPresent());
      boolean usesSecret = changed.authMethods().stream().anyMatch(ClientAuthMethod::usesSecret);
      boolean needsHmacKey = changed.authMethods().contains(ClientAuthMethod.CLIENT_SECRET_JWT);
      boolean hasSecret = before.secretHash() != null && (!needsHmacKey || before.keys().sealedSecret().isPresent());
      Future<Optional<NewSecret>> secret = !usesSecret || hasSecret ? Future.succeededFuture(Optional.empty())
        : newSecret(clientId, Optional.empty(), changed.authMethods()).map(Optional::of);
      return secret.compose(made -> {
        String hash = usesSecret ? made.map(NewSecret::hash).orElse(before.secretHash()) : null;
        Optional<byte[]> sealed = usesSecret ? made.map(NewSecret::sealed).orElse(before.keys().sealedSecret())
          : Optional.empty();
        Client stored = new Client(clientId, hash, changed.authMethods(), changed.grantTypes(), changed.scopes(),
          changed.defaultScopes(), changed.accessTokenTtl(), changed.refreshTokenTtl(), changed.refreshTokenIdle(),
          changed.enabled(), withSealedSecret(changed.keys(), sealed.filter(value -> needsHmacKey)),
          changed.certificateBound(), changed.requiresDpop(), changed.otpPolicy(), changed.rateLimit(),
          changed.passwordGrantSunset(), changed.tokenProfile());
        return store.replaceCredential(stored).map(done -> made.flatMap(NewSecret::generated));
      });
    });
  }

  /** A client as it was and as it is after {@link #update}. */
  public record Updated(Client before, Client after) {
  }

  private static Client client(Request request, Optional<PasswordGrantSunset> sunset, Optional<NewSecret> secret) {
    return new Client(request.clientId(), secret.map(NewSecret::hash).orElse(null),
      EnumSet.copyOf(request.authMethods()), new LinkedHashSet<>(request.grantTypes()),
      List.copyOf(request.scopes()), List.copyOf(request.defaultScopes()), request.accessTokenLifetime(),
      request.refreshTokenLifetime(), request.refreshTokenIdleTimeout(), true,
      withSealedSecret(request.keys(), secret.flatMap(NewSecret::sealed)), request.certificateBound(),
      request.requiresDpop(), request.otpPolicy(), request.rateLimit(), sunset);
  }

  /**
   * Gives a client a new secret; the old one stops working on every replica within the client cache TTL.
   *
   * @param chosen a secret chosen by the operator, or empty to generate one
   * @return the generated secret (shown once), or empty for a chosen one
   */
  public Future<Optional<String>> rotateSecret(String clientId, Optional<String> chosen) {
    return store.findById(clientId).compose(found -> {
      Client client = found.orElseThrow(() -> new IllegalStateException("no client " + clientId));
      if (client.authMethods().stream().noneMatch(ClientAuthMethod::usesSecret)) {
        throw new IllegalArgumentException("client " + clientId + " does not authenticate with a secret");
      }
      return newSecret(clientId, chosen, client.authMethods())
        .compose(secret -> store.updateSecret(clientId, secret.hash(), secret.sealed().orElse(null))
          .compose(updated -> updated ? Future.succeededFuture(secret.generated())
            : Future.failedFuture(new IllegalStateException("no client " + clientId))));
    });
  }

  /**
   * A secret's stored forms, and the secret itself when tokengate generated it (to be shown once).
   *
   * @param sealed the secret sealed for client_secret_jwt, for clients that use that method
   */
  private record NewSecret(String hash, Optional<byte[]> sealed, Optional<String> generated) {
  }

  /**
   * A chosen secret hashed like a password, or a generated one hashed with SHA-256 ({@link ClientSecrets}); sealed
   * as well for client_secret_jwt, whose HMAC key it is: then a generated secret has 512 bits, enough for HS512
   * (RFC 7518 §3.2), and a chosen one must have at least 32 characters, the least HS256 accepts.
   */
  private Future<NewSecret> newSecret(String clientId, Optional<String> chosen, Set<ClientAuthMethod> methods) {
    boolean hmacKey = methods.contains(ClientAuthMethod.CLIENT_SECRET_JWT);
    if (hmacKey && sealer.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException(
        "client_secret_jwt needs clients.secret_encryption_key to be configured"));
    }
    if (chosen.isEmpty()) {
      String generated = hmacKey ? ClientSecrets.generateHmacKey() : ClientSecrets.generate();
      return Future.succeededFuture(new NewSecret(ClientSecrets.hashGenerated(generated),
        sealed(clientId, generated, hmacKey), Optional.of(generated)));
    }
    int minimum = hmacKey ? MIN_HMAC_SECRET_LENGTH : MIN_CHOSEN_SECRET_LENGTH;
    if (chosen.get().length() < minimum) {
      return Future.failedFuture(new IllegalArgumentException(
        "a chosen secret needs at least " + minimum + " characters" + (hmacKey ? " for client_secret_jwt" : "")));
    }
    return secrets.hashChosen(chosen.get())
      .map(hash -> new NewSecret(hash, sealed(clientId, chosen.get(), hmacKey), Optional.empty()));
  }

  private Optional<byte[]> sealed(String clientId, String secret, boolean hmacKey) {
    return hmacKey ? sealer.map(sealing -> sealing.seal(clientId, secret)) : Optional.empty();
  }

  private static ClientKeys withSealedSecret(ClientKeys keys, Optional<byte[]> sealed) {
    return new ClientKeys(sealed, keys.jwks(), keys.jwksUri(), keys.tlsIdentity(), keys.certificateThumbprints());
  }

  /**
   * RFC 9068 §5: a client_credentials token's {@code sub} is the client id, and must never equal a user's, whose
   * {@code sub} is a UUID (or a pairwise value of the same shape).
   */
  private static void requireNotUserShaped(String clientId) {
    if (isUserShaped(clientId)) {
      throw new IllegalArgumentException("client id " + clientId + " is shaped like a UUID, as users' subjects are: "
        + "a client's own tokens could not be told from a user's (RFC 9068 §5); choose another id");
    }
  }

  /** Whether a client id has the shape of a user's subject (a UUID, in any case). */
  public static boolean isUserShaped(String clientId) {
    return clientId.matches("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  }

  private void validate(Client client) {
    if (!isValidClientId(client.clientId())) {
      throw new IllegalArgumentException("a client id is 1 to 128 printable ASCII characters without spaces");
    }
    if (client.grantTypes().isEmpty() || !supportedGrants.containsAll(client.grantTypes())) {
      throw new IllegalArgumentException("grants must be among " + String.join(", ", supportedGrants));
    }
    for (String scope : client.scopes()) {
      if (!Scopes.isValidToken(scope)) {
        throw new IllegalArgumentException("scope '" + scope + "' has characters RFC 6749 §3.3 forbids");
      }
    }
    if (!client.scopes().containsAll(client.defaultScopes())) {
      throw new IllegalArgumentException("default scopes must be among the client's scopes");
    }
    client.accessTokenTtl().ifPresent(lifetime -> requireWithin("access token lifetime", lifetime, MAX_LIFETIME));
    client.refreshTokenTtl().ifPresent(lifetime ->
      requireWithin("refresh token lifetime", lifetime, MAX_REFRESH_LIFETIME));
    client.refreshTokenIdle().ifPresent(idle ->
      requireWithin("refresh token idle timeout", idle, MAX_REFRESH_LIFETIME));
    client.rateLimit().filter(limit -> limit < 1 || limit > 1_000_000).ifPresent(limit -> {
      throw new IllegalArgumentException("a rate limit is 1 to 1000000 requests per second");
    });
    if ((client.refreshTokenTtl().isPresent() || client.refreshTokenIdle().isPresent())
      && !client.grantTypes().contains("refresh_token")) {
      throw new IllegalArgumentException("refresh token lifetimes need the refresh_token grant");
    }
    if (client.passwordGrantSunset().isPresent() && !client.mayUseGrant("password")) {
      throw new IllegalArgumentException("client " + client.clientId()
        + " does not have the password grant: there is nothing to give a sunset");
    }
  }

  private static void requireWithin(String what, Duration value, Duration max) {
    if (value.compareTo(MIN_LIFETIME) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException("the " + what + " must be between 1m and " + Durations.format(max));
    }
  }

  /** RFC 6749 Appendix A: client-id = *VSCHAR; spaces are excluded too, so ids survive logs and shells. */
  static boolean isValidClientId(String clientId) {
    return !clientId.isEmpty() && clientId.length() <= 128 && clientId.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }
}
