package io.tokengate.dpop;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * An HTTP(S) URI reduced to the parts RFC 9449 §4.3 compares an {@code htu} on: scheme and host in lower case, the
 * port made explicit (RFC 3986 §6.2.3: a default port is the same as none), and the path exactly as sent. Query and
 * fragment are dropped. Percent-encodings are not normalised: a path that differs only in them does not match.
 */
record TargetUri(String scheme, String host, int port, String path) {

  private static final int HTTP_PORT = 80;
  private static final int HTTPS_PORT = 443;

  /** @return the comparable form of an absolute http or https URI; empty for anything else */
  static Optional<TargetUri> parse(String uri) {
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
    int defaultPort = switch (scheme) {
      case "http" -> HTTP_PORT;
      case "https" -> HTTPS_PORT;
      default -> -1;
    };
    // User info would be one more part to compare; no request URI of ours has it, so a URI with it never matches.
    if (defaultPort < 0 || parsed.getHost() == null || parsed.getRawUserInfo() != null) {
      return Optional.empty();
    }
    int port = parsed.getPort() < 0 ? defaultPort : parsed.getPort();
    return Optional.of(new TargetUri(scheme, parsed.getHost().toLowerCase(Locale.ROOT), port, parsed.getRawPath()));
  }
}
