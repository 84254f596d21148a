package io.tokengate.http;

import io.tokengate.metrics.TokenRequestOutcomes;
import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.TimeUnit;

/**
 * The one place a failure becomes a response: an RFC 6749 §5.2 JSON error with its status, never a stack trace.
 * Server-side failures are logged with their cause; client mistakes are not logged at all.
 */
final class ErrorResponder implements Handler<RoutingContext> {

  private static final System.Logger LOG = System.getLogger(ErrorResponder.class.getName());
  static final String CHALLENGE = "Basic realm=\"tokengate\"";

  /** The outcome of a request whose client hung up before it could be answered. */
  static final String CLIENT_CLOSED = TokenRequestOutcomes.CLIENT_CLOSED;

  @Override
  public void handle(RoutingContext context) {
    Throwable failure = context.failure();
    if (failure == null) {
      // A failure without an exception is Vert.x Web refusing a request on its own.
      respond(context, OAuthException.invalidRequest("the request was refused"), context.statusCode());
    } else {
      respond(context, failure);
    }
  }

  /** The outcome of a request refused by a rate limit (its error code is temporarily_unavailable, with 429). */
  static final String RATE_LIMITED = TokenRequestOutcomes.RATE_LIMITED;

  /** @return the outcome for metrics: the OAuth error code, {@link #RATE_LIMITED} or {@link #CLIENT_CLOSED} */
  static String respond(RoutingContext context, Throwable failure) {
    if (Failures.isClientGone(failure)) {
      return CLIENT_CLOSED;
    }
    OAuthException error = Failures.asOAuth(failure);
    respond(context, error, error.status());
    return error.status() == 429 ? RATE_LIMITED : error.error().code();
  }

  private static final ThrottledWarnings OUTAGES = new ThrottledWarnings(TimeUnit.SECONDS.toNanos(5));

  /** A bug is logged with its trace; an outage (503) with one line per kind every few seconds, enough to see it. */
  private static void log(RoutingContext context, OAuthException error, int status) {
    Throwable cause = error.getCause();
    if (cause == null || status < 500) {
      return;
    }
    String request = context.request().method() + " " + context.request().path();
    if (status == 503) {
      OUTAGES.warn(error.error().code() + " " + cause.getClass().getName(),
        request + ": " + error.error().code() + " (" + cause + ")");
    } else {
      LOG.log(System.Logger.Level.ERROR, request + ": " + error.error().code(), cause);
    }
  }

  private static void respond(RoutingContext context, OAuthException error, int status) {
    log(context, error, status);
    HttpServerResponse response = context.response();
    if (response.headWritten()) {
      context.request().connection().close();
      return;
    }
    if (error.basicChallenge()) {
      response.putHeader("WWW-Authenticate", CHALLENGE);
    }
    if (error.error() == OAuthError.INVALID_TOKEN || error.error() == OAuthError.INSUFFICIENT_SCOPE) {
      // RFC 6750 §3 (and RFC 9449 §7.1 for a DPoP-bound token): the scheme the token came with, and the error.
      String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
      String scheme = authorization != null && authorization.regionMatches(true, 0, "DPoP ", 0, 5) ? "DPoP" : "Bearer";
      response.putHeader("WWW-Authenticate", scheme + " realm=\"tokengate\", error=\"" + error.error().code()
        + "\", error_description=\"" + error.description().replace("\"", "'") + "\""
        + (error.error() == OAuthError.INSUFFICIENT_SCOPE ? ", scope=\"openid\"" : ""));
    }
    if (error.retryAfterSeconds() > 0) {
      response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(error.retryAfterSeconds()));
    }
    if (status == 405) {
      response.putHeader(HttpHeaders.ALLOW, "POST");
    }
    if (status == 413) {
      // The rest of an oversized body is not worth reading: end the connection instead.
      response.putHeader(HttpHeaders.CONNECTION, "close");
    }
    JsonObject body = new JsonObject().put("error", error.error().code()).put("error_description", error.description());
    Responses.noStore(response, status, body);
  }
}
