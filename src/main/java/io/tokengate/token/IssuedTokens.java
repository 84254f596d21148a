package io.tokengate.token;

import java.util.Optional;

/**
 * What a successful grant returns (RFC 6749 §5.1).
 *
 * @param scope   the granted scope, present only when it differs from what the client asked for
 * @param subject whom the tokens are for (a user id, or the client's id for client_credentials), for the audit log
 */
public record IssuedTokens(String accessToken, String tokenType, long expiresIn, Optional<String> scope,
                           Optional<String> refreshToken, String subject) {

  /** Never the tokens. */
  @Override
  public String toString() {
    return "IssuedTokens[" + tokenType + ", " + subject + "]";
  }
}
