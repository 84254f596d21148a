package io.tokengate.client;

import io.tokengate.config.Durations;
import io.tokengate.oauth.Scopes;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Registers clients: what the CLI's {@code client create} does (and what test fixtures use). */
public final class ClientRegistration {

  private static final Duration MIN_LIFETIME = Duration.ofMinutes(1);
  private static final Duration MAX_LIFETIME = Duration.ofHours(24);
  private static final Duration MAX_REFRESH_LIFETIME = Duration.ofDays(3650);
  private static final int MIN_CHOSEN_SECRET_LENGTH = 16;

  /**
   * @param secret a secret chosen by the operator, or empty to generate one
   */
  public record Request(String clientId, Set<String> grantTypes, List<String> scopes, List<String> defaultScopes,
                        Optional<String> secret, Optional<Duration> accessTokenLifetime,
                        Optional<Duration> refreshTokenLifetime, Optional<Duration> refreshTokenIdleTimeout) {

    /** A client with the configured token lifetimes. */
    public Request(String clientId, Set<String> grantTypes, List<String> scopes, List<String> defaultScopes,
                   Optional<String> secret, Optional<Duration> accessTokenLifetime) {
      this(clientId, grantTypes, scopes, defaultScopes, secret, accessTokenLifetime, Optional.empty(), Optional.empty());
    }
  }

  /** @param generatedSecret the secret, when tokengate generated it: shown once, never stored */
  public record Registered(Client client, Optional<String> generatedSecret) {
  }

  private final ClientStore store;
  private final ClientSecrets secrets;
  private final Set<String> supportedGrants;

  public ClientRegistration(ClientStore store, ClientSecrets secrets, Set<String> supportedGrants) {
    this.store = store;
    this.secrets = secrets;
    this.supportedGrants = Set.copyOf(supportedGrants);
  }

  public Future<Registered> register(Request request) {
    try {
      validate(request);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return newSecret(request.secret()).compose(secret -> store
      .insert(new Client(request.clientId(), secret.hash(), EnumSet.allOf(ClientAuthMethod.class),
        new LinkedHashSet<>(request.grantTypes()), List.copyOf(request.scopes()), List.copyOf(request.defaultScopes()),
        request.accessTokenLifetime(), request.refreshTokenLifetime(), request.refreshTokenIdleTimeout(), true))
      .map(inserted -> new Registered(inserted.orElseThrow(() ->
        new IllegalStateException("client " + request.clientId() + " already exists")), secret.generated())));
  }

  /**
   * Gives a client a new secret; the old one stops working on every replica within the client cache TTL.
   *
   * @param chosen a secret chosen by the operator, or empty to generate one
   * @return the generated secret (shown once), or empty for a chosen one
   */
  public Future<Optional<String>> rotateSecret(String clientId, Optional<String> chosen) {
    return newSecret(chosen).compose(secret -> store.updateSecret(clientId, secret.hash())
      .compose(updated -> updated ? Future.succeededFuture(secret.generated())
        : Future.failedFuture(new IllegalStateException("no client " + clientId))));
  }

  /** A secret's stored form, and the secret itself when tokengate generated it (to be shown once). */
  private record NewSecret(String hash, Optional<String> generated) {
  }

  /** A chosen secret hashed like a password, or a generated one hashed with SHA-256 ({@link ClientSecrets}). */
  private Future<NewSecret> newSecret(Optional<String> chosen) {
    if (chosen.isEmpty()) {
      String generated = ClientSecrets.generate();
      return Future.succeededFuture(new NewSecret(ClientSecrets.hashGenerated(generated), Optional.of(generated)));
    }
    if (chosen.get().length() < MIN_CHOSEN_SECRET_LENGTH) {
      return Future.failedFuture(new IllegalArgumentException(
        "a chosen secret needs at least " + MIN_CHOSEN_SECRET_LENGTH + " characters"));
    }
    return secrets.hashChosen(chosen.get()).map(hash -> new NewSecret(hash, Optional.empty()));
  }

  private void validate(Request request) {
    if (!isValidClientId(request.clientId())) {
      throw new IllegalArgumentException("a client id is 1 to 128 printable ASCII characters without spaces");
    }
    if (request.grantTypes().isEmpty() || !supportedGrants.containsAll(request.grantTypes())) {
      throw new IllegalArgumentException("grants must be among " + String.join(", ", supportedGrants));
    }
    for (String scope : request.scopes()) {
      if (!Scopes.isValidToken(scope)) {
        throw new IllegalArgumentException("scope '" + scope + "' has characters RFC 6749 §3.3 forbids");
      }
    }
    if (!request.scopes().containsAll(request.defaultScopes())) {
      throw new IllegalArgumentException("default scopes must be among the client's scopes");
    }
    request.accessTokenLifetime().ifPresent(lifetime -> requireWithin("access token lifetime", lifetime, MAX_LIFETIME));
    request.refreshTokenLifetime().ifPresent(lifetime ->
      requireWithin("refresh token lifetime", lifetime, MAX_REFRESH_LIFETIME));
    request.refreshTokenIdleTimeout().ifPresent(idle ->
      requireWithin("refresh token idle timeout", idle, MAX_REFRESH_LIFETIME));
    if ((request.refreshTokenLifetime().isPresent() || request.refreshTokenIdleTimeout().isPresent())
      && !request.grantTypes().contains("refresh_token")) {
      throw new IllegalArgumentException("refresh token lifetimes need the refresh_token grant");
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
