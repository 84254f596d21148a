package io.tokengate.client;

import io.tokengate.user.OtpPolicy;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code client update} changes in a registration; whatever is not named stays as it is. A list given
 * replaces the list; a {@link Change#cleared()} setting goes back to the configured default (or to none).
 */
public record ClientUpdate(
  Optional<Set<String>> grantTypes,
  Optional<List<String>> scopes,
  Optional<List<String>> defaultScopes,
  Change<Duration> accessTokenLifetime,
  Change<Duration> refreshTokenLifetime,
  Change<Duration> refreshTokenIdleTimeout,
  Optional<Boolean> certificateBound,
  Optional<Boolean> requiresDpop,
  Optional<OtpPolicy> otpPolicy,
  Change<Integer> rateLimit,
  Change<Instant> passwordGrantSunset) {

  /** One optional setting: left alone, set to a value, or cleared. */
  public record Change<T>(boolean given, Optional<T> value) {

    public static <T> Change<T> keep() {
      return new Change<>(false, Optional.empty());
    }

    public static <T> Change<T> to(T value) {
      return new Change<>(true, Optional.of(value));
    }

    public static <T> Change<T> cleared() {
      return new Change<>(true, Optional.empty());
    }

    Optional<T> applyTo(Optional<T> current) {
      return given ? value : current;
    }
  }

  /** Nothing changes. */
  public static ClientUpdate none() {
    return new ClientUpdate(Optional.empty(), Optional.empty(), Optional.empty(), Change.keep(), Change.keep(),
      Change.keep(), Optional.empty(), Optional.empty(), Optional.empty(), Change.keep(), Change.keep());
  }

  public ClientUpdate withPasswordGrantSunset(Change<Instant> sunset) {
    return new ClientUpdate(grantTypes, scopes, defaultScopes, accessTokenLifetime, refreshTokenLifetime,
      refreshTokenIdleTimeout, certificateBound, requiresDpop, otpPolicy, rateLimit, sunset);
  }

  /**
   * The client with these changes, unchecked. A new sunset date keeps the Deprecation date the client was first
   * warned with; a client that loses the password grant loses its sunset with it (there is nothing left to retire).
   */
  Client applyTo(Client client, Instant now) {
    Set<String> grants = grantTypes.<Set<String>>map(LinkedHashSet::new).orElse(client.grantTypes());
    Optional<PasswordGrantSunset> sunset = passwordGrantSunset.given()
      ? passwordGrantSunset.value().map(at -> PasswordGrantSunset.announce(at, now, client.passwordGrantSunset()))
      : client.passwordGrantSunset().filter(kept -> grants.contains("password"));
    return new Client(client.clientId(), client.secretHash(), client.authMethods(), grants,
      scopes.map(List::copyOf).orElse(client.scopes()), defaultScopes.map(List::copyOf).orElse(client.defaultScopes()),
      accessTokenLifetime.applyTo(client.accessTokenTtl()), refreshTokenLifetime.applyTo(client.refreshTokenTtl()),
      refreshTokenIdleTimeout.applyTo(client.refreshTokenIdle()), client.enabled(), client.keys(),
      certificateBound.orElse(client.certificateBound()), requiresDpop.orElse(client.requiresDpop()),
      otpPolicy.orElse(client.otpPolicy()), rateLimit.applyTo(client.rateLimit()), sunset, client.tokenProfile());
  }
}
