package io.tokengate.oauth;

import java.util.Set;

/**
 * The claims tokengate itself writes (RFC 7519, RFC 9068, RFC 8693, OpenID Connect Core): no mapping may produce one,
 * or a user attribute could forge who a token is for, its audience, lifetime or binding.
 */
public final class OwnedClaims {

  public static final Set<String> NAMES = Set.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope",
    "cnf", "sid", "auth_time", "acr", "amr", "nonce", "azp", "at_hash", "c_hash");

  private OwnedClaims() {
  }

  private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.:\\-]{1,128}");

  public static boolean isOwned(String claim) {
    return NAMES.contains(claim);
  }

  /** @throws IllegalArgumentException with one clear line, unless a mapping may produce {@code claim} from it */
  public static void requireMappable(String claim, String attribute) {
    if (isOwned(claim)) {
      throw new IllegalArgumentException("claim " + claim + " is tokengate's own and cannot be mapped from a user "
        + "attribute (owned: iss sub aud exp iat nbf jti client_id scope cnf sid auth_time acr amr nonce azp at_hash c_hash)");
    }
    if (claim == null || !NAME.matcher(claim).matches()) {
      throw new IllegalArgumentException("claim name " + claim + " is not 1-128 letters, digits or _ . : -");
    }
    if (attribute == null || !NAME.matcher(attribute).matches()) {
      throw new IllegalArgumentException("claim " + claim + " maps to no valid attribute name");
    }
  }
}
