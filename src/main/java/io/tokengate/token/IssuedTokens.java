package io.tokengate.token;

import java.util.Optional;

/**
 * What a successful grant returns (RFC 6749 §5.1).
 *
 * @param scope   the granted scope, present only when it differs from what the client asked for
 * @param subject whom the tokens are for (a user id, or the client's id for client_credentials), for the audit log:
 *                always the internal id, also when the tokens carry a pairwise subject
 * @param idToken the OpenID Connect ID token, when {@code openid} was granted
 */
public record IssuedTokens(String accessToken, String tokenType, long expiresIn, Optional<String> scope,
                           Optional<String> refreshToken, String subject, Optional<String> idToken) {

  public IssuedTokens(String accessToken, String tokenType, long expiresIn, Optional<String> scope,
                      Optional<String> refreshToken, String subject) {
    this(accessToken, tokenType, expiresIn, scope, refreshToken, subject, Optional.empty());
  }

  /** Never the tokens. */
  @Override
  public String toString() {
    return "IssuedTokens[" + tokenType + ", " + subject + "]";
  }
}
