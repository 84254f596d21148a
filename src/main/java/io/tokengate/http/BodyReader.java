package io.tokengate.http;

import io.tokengate.oauth.OAuthException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** Reads a request body up to a limit; a larger body fails with 413 without being buffered. */
final class BodyReader {

  private BodyReader() {
  }

  static Future<Buffer> read(HttpServerRequest request, int limit) {
    String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared != null && declaredLength(declared) > limit) {
      return Future.failedFuture(OAuthException.bodyTooLarge(limit));
    }
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (body.length() + chunk.length() > limit) {
        promise.tryFail(OAuthException.bodyTooLarge(limit));
      } else if (!promise.future().isComplete()) {
        body.appendBuffer(chunk);
      }
    });
    request.endHandler(end -> promise.tryComplete(body));
    request.exceptionHandler(promise::tryFail);
    return promise.future();
  }

  /** Vert.x has already refused a malformed Content-Length; a huge one still parses to "too large". */
  private static long declaredLength(String contentLength) {
    try {
      return Long.parseLong(contentLength.strip());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
