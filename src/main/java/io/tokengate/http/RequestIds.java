package io.tokengate.http;

import io.vertx.ext.web.RoutingContext;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * An id for each token request, sent back in {@code X-Request-Id} and written in its audit line, so that a user's
 * complaint, a client's log and tokengate's log can be matched.
 */
final class RequestIds {

  static final String HEADER = "X-Request-Id";
  private static final SecureRandom RANDOM = new SecureRandom();

  private RequestIds() {
  }

  static String assign(RoutingContext context) {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    String id = HexFormat.of().formatHex(bytes);
    context.response().putHeader(HEADER, id);
    return id;
  }
}
