package io.tokengate.client;

import io.tokengate.user.OtpPolicy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A registered client. Every client is confidential: it has a credential, and tokengate never issues tokens to a
 * client that did not present it.
 *
 * @param secretHash       the stored form of its secret ({@link ClientSecrets})
 * @param scopes           scopes it may ask for
 * @param defaultScopes    scopes it gets when it asks for none
 * @param accessTokenTtl   its own access-token lifetime, or empty for the configured default
 * @param refreshTokenTtl  its own refresh-token absolute lifetime, or empty for the configured default
 * @param refreshTokenIdle its own refresh-token idle timeout, or empty for the configured default
 * @param keys             what it proves itself with besides a secret
 * @param certificateBound whether its access tokens are bound to its TLS certificate (RFC 8705 §3)
 * @param requiresDpop     whether every token request must carry a DPoP proof (RFC 9449 §5.2)
 * @param otpPolicy        whether its password grants need the user's second factor
 * @param rateLimit        its own token requests per second (each replica), or empty for the configured default
 * @param passwordGrantSunset when its password grant ends, if it was given a date
 */
public record Client(
  String clientId,
  String secretHash,
  Set<ClientAuthMethod> authMethods,
  Set<String> grantTypes,
  List<String> scopes,
  List<String> defaultScopes,
  Optional<Duration> accessTokenTtl,
  Optional<Duration> refreshTokenTtl,
  Optional<Duration> refreshTokenIdle,
  boolean enabled,
  ClientKeys keys,
  boolean certificateBound,
  boolean requiresDpop,
  OtpPolicy otpPolicy,
  Optional<Integer> rateLimit,
  Optional<PasswordGrantSunset> passwordGrantSunset,
  ClientTokenProfile tokenProfile) {

  /** A client with the default token profile: the global claims, public subjects. */
  public Client(String clientId, String secretHash, Set<ClientAuthMethod> authMethods, Set<String> grantTypes,
                List<String> scopes, List<String> defaultScopes, Optional<Duration> accessTokenTtl,
                Optional<Duration> refreshTokenTtl, Optional<Duration> refreshTokenIdle, boolean enabled,
                ClientKeys keys, boolean certificateBound, boolean requiresDpop, OtpPolicy otpPolicy,
                Optional<Integer> rateLimit, Optional<PasswordGrantSunset> passwordGrantSunset) {
    this(clientId, secretHash, authMethods, grantTypes, scopes, defaultScopes, accessTokenTtl, refreshTokenTtl,
      refreshTokenIdle, enabled, keys, certificateBound, requiresDpop, otpPolicy, rateLimit, passwordGrantSunset,
      ClientTokenProfile.DEFAULT);
  }

  public Client withTokenProfile(ClientTokenProfile profile) {
    return new Client(clientId, secretHash, authMethods, grantTypes, scopes, defaultScopes, accessTokenTtl,
      refreshTokenTtl, refreshTokenIdle, enabled, keys, certificateBound, requiresDpop, otpPolicy, rateLimit,
      passwordGrantSunset, profile);
  }

  /** The sector of its pairwise subjects (the one it was given, else its id); empty for public subjects. */
  public Optional<String> pairwiseSector() {
    return tokenProfile.pairwise() ? Optional.of(tokenProfile.sector().orElse(clientId)) : Optional.empty();
  }

  public boolean mayUseGrant(String grantType) {
    return grantTypes.contains(grantType);
  }

  /** Refresh tokens go only to clients registered for the refresh_token grant. */
  public boolean receivesRefreshTokens() {
    return grantTypes.contains("refresh_token");
  }

  /** Without the secret's hash. */
  @Override
  public String toString() {
    return "Client[" + clientId + (enabled ? "" : ", disabled") + ", grants " + grantTypes + ", " + authMethods + "]";
  }
}
