package io.tokengate.oauth;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/** Scope values (RFC 6749 §3.3): space-delimited, case-sensitive tokens. */
public final class Scopes {

  private Scopes() {
  }

  /** Parses a {@code scope} parameter; duplicates collapse, order is kept. */
  public static Set<String> parse(String scope) {
    Set<String> scopes = new LinkedHashSet<>();
    for (String token : scope.split(" ", -1)) {
      if (token.isEmpty()) {
        continue;
      }
      if (!isValidToken(token)) {
        throw OAuthException.of(OAuthError.INVALID_SCOPE, "scope contains characters that RFC 6749 section 3.3 forbids");
      }
      scopes.add(token);
    }
    return scopes;
  }

  /** scope-token = 1*( %x21 / %x23-5B / %x5D-7E ) */
  public static boolean isValidToken(String token) {
    if (token.isEmpty()) {
      return false;
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  public static String format(Collection<String> scopes) {
    return String.join(" ", scopes);
  }
}
