package io.tokengate.token;

import java.util.List;
import java.util.Optional;

/**
 * An introspection answer (RFC 7662 §2.2). An inactive token says nothing else: not why, not whose.
 *
 * @param tokenType "Bearer" for an access token, "refresh_token" for a refresh token
 */
public record Introspection(boolean active, Optional<String> tokenType, Optional<String> scope,
                           Optional<String> clientId, Optional<String> username, Optional<String> subject,
                           List<String> audience, Optional<String> issuer, Optional<Long> expiresAt,
                           Optional<Long> issuedAt, Optional<String> jti) {

  public static Introspection inactive() {
    return new Introspection(false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
      Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }
}
