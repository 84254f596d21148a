package io.tokengate.token;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An introspection answer (RFC 7662 §2.2). An inactive token says nothing else: not why, not whose.
 *
 * @param tokenType    "Bearer" or "DPoP" (RFC 9449 §6.2) for an access token, "refresh_token" for a refresh token
 * @param confirmation the {@code cnf} of a bound access token (RFC 8705 §3.2, RFC 9449 §6.2), or empty ones
 * @param userClaims   the mapped user claims the access token carries, answered as it carries them
 */
public record Introspection(boolean active, Optional<String> tokenType, Optional<String> scope,
                           Optional<String> clientId, Optional<String> username, Optional<String> subject,
                           List<String> audience, Optional<String> issuer, Optional<Long> expiresAt,
                           Optional<Long> issuedAt, Optional<String> jti, Map<String, Object> confirmation,
                           Map<String, Object> userClaims) {

  public static Introspection inactive() {
    return new Introspection(false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
      Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), Map.of());
  }
}
