package io.tokengate.claims;

import io.tokengate.oauth.OwnedClaims;
import io.tokengate.user.UserProfile;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Claims made of a user's profile: each claim name maps to one attribute, or to {@code groups}. A claim appears only
 * when the user has the attribute (a group list only when the user has groups): one value as a string, several as an
 * array. Nothing unmapped is ever copied, so a password hash or TOTP secret can never reach a token.
 */
public record ClaimMapping(Map<String, String> claims) {

  /** The attribute name that means the user's groups. */
  public static final String GROUPS = "groups";
  public static final ClaimMapping NONE = new ClaimMapping(Map.of());


  /** @throws IllegalArgumentException with one clear line, for an owned or malformed claim name */
  public ClaimMapping {
    Map<String, String> copy = new LinkedHashMap<>();
    claims.forEach((claim, attribute) -> {
      OwnedClaims.requireMappable(claim, attribute);
      copy.put(claim, attribute);
    });
    claims = Collections.unmodifiableMap(copy);
  }

  /** {@code NAME=ATTRIBUTE} items (a bare NAME maps the attribute of that name), as the CLI takes them. */
  public static ClaimMapping parse(List<String> items) {
    Map<String, String> claims = new LinkedHashMap<>();
    for (String item : items) {
      int equals = item.indexOf('=');
      claims.put(equals < 0 ? item : item.substring(0, equals), equals < 0 ? item : item.substring(equals + 1));
    }
    return new ClaimMapping(claims);
  }

  public static ClaimMapping fromJson(JsonObject json) {
    Map<String, String> claims = new LinkedHashMap<>();
    json.forEach(entry -> claims.put(entry.getKey(), String.valueOf(entry.getValue())));
    return new ClaimMapping(claims);
  }

  public JsonObject toJson() {
    return new JsonObject(new LinkedHashMap<>(claims));
  }

  public boolean isEmpty() {
    return claims.isEmpty();
  }

  /** This mapping, then {@code other}'s entries over it. */
  public ClaimMapping with(ClaimMapping other) {
    if (other.isEmpty()) {
      return this;
    }
    Map<String, String> merged = new LinkedHashMap<>(claims);
    merged.putAll(other.claims);
    return new ClaimMapping(merged);
  }

  /** Adds the claims this user has values for; groups always as an array. */
  public void addTo(Map<String, Object> target, UserProfile profile) {
    claims.forEach((claim, attribute) -> {
      if (GROUPS.equals(attribute)) {
        if (!profile.groups().isEmpty()) {
          target.put(claim, List.copyOf(profile.groups()));
        }
        return;
      }
      List<String> values = profile.attributes().getOrDefault(attribute, List.of());
      if (values.size() == 1) {
        target.put(claim, values.get(0));
      } else if (!values.isEmpty()) {
        target.put(claim, values);
      }
    });
  }

  /** NAME=ATTRIBUTE items, as the CLI shows them. */
  public List<String> items() {
    return claims.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue()).toList();
  }
}
