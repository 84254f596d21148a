package io.tokengate.cli;

import io.tokengate.config.Durations;
import io.tokengate.oauth.Scopes;
import io.tokengate.user.OtpPolicy;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The registration options {@code client create} and {@code client update} share, defined once. An option not given
 * is null: create then takes the default, update leaves the setting as it is.
 */
final class ClientOptions {

  @Option(names = "--claim", paramLabel = "NAME=ATTRIBUTE",
    description = "A claim its access tokens carry, made of a user attribute or groups (repeatable; update replaces them all).")
  List<String> claims;

  @Option(names = "--subject-type", paramLabel = "TYPE",
    description = "public (default: sub is the user id) or pairwise (OIDC Core §8: a subject of its own per sector).")
  String subjectType;

  @Option(names = "--sector", paramLabel = "ID",
    description = "The sector of its pairwise subjects: clients of one sector see the same subject (default: its id).")
  String sector;

  /** The token profile with what was given changed; empty when none of its options was given. */
  Optional<io.tokengate.client.ClientTokenProfile> tokenProfile(io.tokengate.client.ClientTokenProfile current) {
    if (claims == null && subjectType == null && sector == null) {
      return Optional.empty();
    }
    if (subjectType != null && !subjectType.equals("public") && !subjectType.equals("pairwise")) {
      throw new IllegalArgumentException("--subject-type must be public or pairwise");
    }
    if (sector != null && (sector.isBlank() || sector.length() > 256)) {
      throw new IllegalArgumentException("--sector must be 1 to 256 characters");
    }
    return Optional.of(new io.tokengate.client.ClientTokenProfile(
      claims == null ? current.claims() : io.tokengate.claims.ClaimMapping.parse(claims),
      subjectType == null ? current.pairwise() : subjectType.equals("pairwise"),
      sector == null ? current.sector() : Optional.of(sector)));
  }

  @Option(names = "--grants", split = ",", paramLabel = "GRANT",
    description = "Grant types the client may use: password, refresh_token, client_credentials (required by create).")
  List<String> grants;

  @Option(names = "--scopes", paramLabel = "\"S1 S2\"", description = "Scopes the client may ask for.")
  String scopes;

  @Option(names = "--default-scopes", paramLabel = "\"S1\"", description = "Scopes granted when it asks for none.")
  String defaultScopes;

  @Option(names = "--access-token-lifetime", paramLabel = "DURATION",
    description = "Its access-token lifetime, e.g. 10m (default: tokens.access_token_lifetime).")
  String accessTokenLifetime;

  @Option(names = "--refresh-token-lifetime", paramLabel = "DURATION",
    description = "Absolute lifetime of its refresh tokens, e.g. 30d (default: tokens.refresh_token_lifetime).")
  String refreshTokenLifetime;

  @Option(names = "--refresh-token-idle-timeout", paramLabel = "DURATION",
    description = "Its refresh tokens expire when unused this long, e.g. 1d (default: tokens.refresh_token_idle_timeout).")
  String refreshTokenIdleTimeout;

  @Option(names = "--certificate-bound-tokens", negatable = true,
    description = "Bind its access tokens to its TLS certificate (RFC 8705 §3).")
  Boolean certificateBound;

  @Option(names = "--require-dpop", negatable = true,
    description = "Refuse its token requests without a DPoP proof (RFC 9449).")
  Boolean requireDpop;

  @Option(names = "--otp-policy", paramLabel = "POLICY",
    description = "Second factor on its password grants: off, if-enrolled (default), required.")
  String otpPolicy;

  @Option(names = "--rate-limit", paramLabel = "PER_SECOND",
    description = "Its token requests per second on each replica (default: rate_limits.per_client).")
  Integer rateLimit;

  @Option(names = "--password-grant-sunset", paramLabel = "DATE", description = {
    "From this UTC date (2027-03-31) or date-time (2027-03-31T12:00:00Z) on, its password grant is refused; until "
      + "then every password-grant answer carries Deprecation and Sunset headers. A past date needs --yes."})
  String passwordGrantSunset;

  @Option(names = "--yes", description = "Confirm a password-grant sunset in the past: the grant is refused at once.")
  boolean yes;

  Optional<Set<String>> grantTypes() {
    return Optional.ofNullable(grants).map(LinkedHashSet::new);
  }

  Optional<List<String>> scopes() {
    return Optional.ofNullable(scopes).map(value -> new ArrayList<>(Scopes.parse(value)));
  }

  Optional<List<String>> defaultScopes() {
    return Optional.ofNullable(defaultScopes).map(value -> new ArrayList<>(Scopes.parse(value)));
  }

  Optional<Duration> accessTokenLifetime() {
    return duration(accessTokenLifetime);
  }

  Optional<Duration> refreshTokenLifetime() {
    return duration(refreshTokenLifetime);
  }

  Optional<Duration> refreshTokenIdleTimeout() {
    return duration(refreshTokenIdleTimeout);
  }

  Optional<OtpPolicy> otpPolicy() {
    return Optional.ofNullable(otpPolicy).map(value -> OtpPolicy.fromValue(value).orElseThrow(() ->
      new IllegalArgumentException("--otp-policy must be off, if-enrolled or required")));
  }

  Optional<SunsetDate> passwordGrantSunset() {
    return Optional.ofNullable(passwordGrantSunset).map(SunsetDate::parse);
  }

  private static Optional<Duration> duration(String text) {
    return Optional.ofNullable(text).map(Durations::parse);
  }
}
