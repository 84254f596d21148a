package io.tokengate.claims;

import io.tokengate.user.UserProfile;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The user's claims in an access token (and so in its introspection): {@code claims.access_token}, then the
 * client's own mappings, then those of each granted scope that has some.
 */
public final class AccessTokenClaims {

  private final ClaimMapping global;

  public AccessTokenClaims(ClaimMapping global) {
    this.global = global;
  }

  public Map<String, Object> of(UserProfile profile, ClaimMapping client, Set<String> scopes,
                                Registrations registrations) {
    ClaimMapping mapping = global.with(client);
    for (String scope : scopes) {
      mapping = mapping.with(registrations.scope(scope).map(ScopeRegistration::claims).orElse(ClaimMapping.NONE));
    }
    Map<String, Object> claims = new LinkedHashMap<>();
    mapping.addTo(claims, profile);
    return claims;
  }
}
