package io.tokengate.token;

import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import com.nimbusds.jose.util.JSONObjectUtils;

import java.util.Map;

/** {@code tokens.max_size}: a token that would be larger is refused, never truncated. */
final class TokenSize {

  private TokenSize() {
  }

  /** @throws OAuthException server_error, whose audit reason names the largest claim */
  static void require(String token, long maxSize, Map<String, Object> claims) {
    if (token.length() <= maxSize) {
      return;
    }
    String largest = claims.entrySet().stream()
      .max(java.util.Comparator.comparingInt(entry -> JSONObjectUtils.toJSONString(Map.of(entry.getKey(), entry.getValue())).length()))
      .map(Map.Entry::getKey).orElse("-");
    throw OAuthException.of(OAuthError.SERVER_ERROR, "the token would be larger than the server allows")
      .because("token_too_large: " + token.length() + " bytes, largest claim " + largest);
  }
}
