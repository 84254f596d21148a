package io.tokengate.claims;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A resource server a token may be asked for (RFC 8707): its absolute URI (the token's {@code aud}), the scopes that
 * belong to it, and the access-token lifetime it wants, if shorter than the client's.
 */
public record ResourceRegistration(String uri, Set<String> scopes, Optional<Duration> accessTokenLifetime) {

  public ResourceRegistration {
    scopes = Collections.unmodifiableSet(new LinkedHashSet<>(scopes));
  }

  /**
   * RFC 8707 §2: an absolute URI without a fragment.
   *
   * @return why the text is not one, or empty when it is
   */
  public static Optional<String> problem(String uri) {
    try {
      URI parsed = new URI(uri);
      if (!parsed.isAbsolute()) {
        return Optional.of("a resource must be an absolute URI");
      }
      if (parsed.getRawFragment() != null) {
        return Optional.of("a resource must not have a fragment");
      }
      return Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.of("a resource must be an absolute URI");
    }
  }
}
