package io.tokengate.token;

import java.util.Optional;

/**
 * What a successful grant returns (RFC 6749 §5.1).
 *
 * @param scope the granted scope, present only when it differs from what the client asked for
 */
public record IssuedTokens(String accessToken, String tokenType, long expiresIn, Optional<String> scope,
                           Optional<String> refreshToken) {
}
