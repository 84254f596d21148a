package io.tokengate.http;

import io.tokengate.oauth.FormEncoding;
import io.tokengate.oauth.OAuthException;
import io.tokengate.oauth.Parameters;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses an {@code application/x-www-form-urlencoded} body strictly: every name and value well-formed, no
 * parameter twice (RFC 6749 §3.1), and a bounded number of parameters.
 */
final class FormParser {

  static final int MAX_PARAMETERS = 64;
  /**
   * Names that may be echoed in an error description. Any other name is something the client sent that we do not
   * know, possibly a fragment of a password with an unencoded '&amp;' in it.
   */
  private static final Set<String> KNOWN_PARAMETERS = Set.of("grant_type", "username", "password", "scope",
    "client_id", "client_secret", "refresh_token", "token", "token_type_hint", "client_assertion",
    "client_assertion_type", "otp", "totp", "resource");
  /** RFC 8707 §2: {@code resource} may be given several times, the only parameter that may; duplicates collapse. */
  static final String RESOURCE = "resource";
  static final int MAX_RESOURCES = 10;

  private FormParser() {
  }

  static Parameters parse(byte[] body) {
    Map<String, String> values = new HashMap<>();
    Set<String> seen = new HashSet<>();
    Set<String> resources = new LinkedHashSet<>();
    int resourceCount = 0;
    int start = 0;
    while (start <= body.length) {
      int end = indexOf(body, (byte) '&', start);
      if (end > start) {
        if (seen.size() == MAX_PARAMETERS) {
          throw OAuthException.invalidRequest("too many parameters");
        }
        int equals = indexOf(body, (byte) '=', start);
        int nameEnd = Math.min(equals, end);
        String name = decode(body, start, nameEnd);
        String value = nameEnd < end ? decode(body, nameEnd + 1, end) : "";
        if (name.isEmpty()) {
          throw OAuthException.invalidRequest("malformed form body: a parameter has no name");
        }
        if (RESOURCE.equals(name)) {
          if (++resourceCount > MAX_RESOURCES) {
            throw OAuthException.invalidRequest("at most " + MAX_RESOURCES + " resource parameters");
          }
          if (!value.isEmpty()) {
            resources.add(value);
          }
          seen.add(name);
        } else if (!seen.add(name)) {
          throw OAuthException.invalidRequest(KNOWN_PARAMETERS.contains(name)
            ? "parameter " + name + " is repeated" : "a parameter is repeated");
        }
        if (!value.isEmpty()) {
          values.put(name, value);
        }
      }
      start = end + 1;
    }
    return new Parameters(values, List.copyOf(resources));
  }

  private static String decode(byte[] body, int from, int to) {
    Optional<String> decoded = FormEncoding.decode(body, from, to);
    return decoded.orElseThrow(() ->
      OAuthException.invalidRequest("malformed form body: bad percent-encoding or invalid UTF-8"));
  }

  private static int indexOf(byte[] bytes, byte wanted, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return bytes.length;
  }
}
