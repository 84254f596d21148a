package io.tokengate.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** JSON responses. Anything carrying a token or an error about one must never be cached (RFC 6749 §5.1). */
final class Responses {

  static final String JSON = "application/json;charset=UTF-8";

  private Responses() {
  }

  static Future<Void> noStore(HttpServerResponse response, int status, JsonObject body) {
    return response.setStatusCode(status)
      .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
      .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
      .putHeader("Pragma", "no-cache")
      .end(body.toBuffer());
  }

  /** Public documents (JWKS, metadata): cacheable for a few minutes. */
  static Future<Void> cacheable(HttpServerResponse response, String body) {
    return response.setStatusCode(200)
      .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
      .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=300")
      .end(body);
  }
}
