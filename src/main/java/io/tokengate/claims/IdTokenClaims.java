package io.tokengate.claims;

import io.tokengate.user.UserProfile;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The user's claims in ID tokens and userinfo: {@code claims.id_token}, where a standard claim of OpenID Connect
 * Core §5.4 is released only when its scope ({@code profile}, {@code email}, {@code address}, {@code phone}) was
 * granted, and any other mapped claim always.
 */
public final class IdTokenClaims {

  public static final Map<String, Set<String>> STANDARD_SCOPES = Map.of(
    "profile", Set.of("name", "family_name", "given_name", "middle_name", "nickname", "preferred_username",
      "profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at"),
    "email", Set.of("email", "email_verified"),
    "address", Set.of("address"),
    "phone", Set.of("phone_number", "phone_number_verified"));

  private final ClaimMapping mapping;

  public IdTokenClaims(ClaimMapping mapping) {
    this.mapping = mapping;
  }

  public ClaimMapping mapping() {
    return mapping;
  }

  public Map<String, Object> of(UserProfile profile, Set<String> scopes) {
    Map<String, String> released = new LinkedHashMap<>();
    mapping.claims().forEach((claim, attribute) -> {
      boolean standardOfUngranted = STANDARD_SCOPES.entrySet().stream()
        .anyMatch(scope -> scope.getValue().contains(claim) && !scopes.contains(scope.getKey()));
      if (!standardOfUngranted) {
        released.put(claim, attribute);
      }
    });
    Map<String, Object> claims = new LinkedHashMap<>();
    new ClaimMapping(released).addTo(claims, profile);
    return claims;
  }
}
