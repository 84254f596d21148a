package io.tokengate.client;

import io.tokengate.config.Durations;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * GETs a {@code jwks_uri} within a time and a size limit. The limit on size holds while the body streams in: a larger
 * declared length is refused before the body is read, and the connection is closed as soon as the bytes received
 * pass the limit. Redirects are not followed; https uses the JVM's trust store and checks the host name.
 */
final class JwksDownloader {

  private static final String ACCEPT = "application/json, application/jwk-set+json";

  private final Vertx vertx;
  private final HttpClient client;
  private final Duration timeout;
  private final int maxBytes;

  JwksDownloader(Vertx vertx, Duration timeout, int maxBytes) {
    this.vertx = vertx;
    // Fetches of one URI are minutes apart: a pooled connection would only hold a socket open.
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setVerifyHost(true));
    this.timeout = timeout;
    this.maxBytes = maxBytes;
  }

  /** @return the body of a 200 response, or a {@link RemoteJwks.FetchFailed} */
  Future<String> fetch(URI uri) {
    RequestOptions options;
    try {
      options = requestOptions(uri);
    } catch (RuntimeException e) {
      return Future.failedFuture(new RemoteJwks.FetchFailed(uri, "not an absolute http or https URI"));
    }
    return new Download(uri).start(options);
  }

  Future<Void> close() {
    return client.close();
  }

  private RequestOptions requestOptions(URI uri) {
    if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException(uri.getScheme());
    }
    return new RequestOptions()
      .setMethod(HttpMethod.GET)
      .setAbsoluteURI(uri.toString())
      .putHeader(HttpHeaders.ACCEPT, ACCEPT)
      .setFollowRedirects(false)
      // Connect and idle timeouts; the deadline in Download also bounds a server that sends a byte now and then.
      .setTimeout(timeout.toMillis());
  }

  /** One GET. The deadline timer and the response may run on different threads: the promise decides which ends it. */
  private final class Download {

    private final URI uri;
    private final Promise<String> body = Promise.promise();
    private volatile HttpClientRequest request;

    Download(URI uri) {
      this.uri = uri;
    }

    Future<String> start(RequestOptions options) {
      long deadline = vertx.setTimer(timeout.toMillis(), fired -> fail("no complete response within "
        + Durations.format(timeout)));
      client.request(options)
        .compose(this::send)
        .onFailure(failure -> fail(describe(failure)));
      return body.future().onComplete(done -> vertx.cancelTimer(deadline));
    }

    private Future<HttpClientResponse> send(HttpClientRequest request) {
      this.request = request;
      if (body.future().isComplete()) {
        abort();
        return Future.failedFuture("the download ended before the request was sent");
      }
      // Handlers go on the response in the callback that delivers it, before any of its body can arrive.
      return request.send().onSuccess(this::read);
    }

    private void read(HttpClientResponse response) {
      // First, so that the reset which ends a refused response is not reported as an unhandled exception.
      response.exceptionHandler(failure -> fail(describe(failure)));
      if (response.statusCode() != 200) {
        fail("HTTP status " + response.statusCode());
        return;
      }
      if (declaredLength(response.getHeader(HttpHeaders.CONTENT_LENGTH)) > maxBytes) {
        fail("the body is larger than " + maxBytes + " bytes");
        return;
      }
      Buffer received = Buffer.buffer();
      response.handler(chunk -> {
        if (body.future().isComplete()) {
          return;
        }
        if (received.length() + chunk.length() > maxBytes) {
          fail("the body is larger than " + maxBytes + " bytes");
        } else {
          received.appendBuffer(chunk);
        }
      });
      response.endHandler(end -> body.tryComplete(received.toString(StandardCharsets.UTF_8)));
    }

    private void fail(String reason) {
      if (body.tryFail(new RemoteJwks.FetchFailed(uri, reason))) {
        abort();
      }
    }

    /** For HTTP/1.x a reset closes the connection, so the rest of a body is never read. */
    private void abort() {
      HttpClientRequest sent = request;
      if (sent != null) {
        sent.reset();
      }
    }

    private String describe(Throwable failure) {
      if (failure instanceof TimeoutException) {
        return "no response within " + Durations.format(timeout);
      }
      // "Failed to create SSL connection" alone would not tell an operator that the certificate is not trusted.
      Throwable root = failure;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      return root == failure ? message(failure) : message(failure) + ": " + message(root);
    }
  }

  private static String message(Throwable failure) {
    return failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage();
  }

  /** A missing length is checked while the body streams; a malformed one cannot be trusted to be small. */
  private static long declaredLength(String contentLength) {
    if (contentLength == null) {
      return 0;
    }
    try {
      return Long.parseLong(contentLength.strip());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
