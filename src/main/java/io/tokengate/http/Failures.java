package io.tokengate.http;

import io.tokengate.oauth.OAuthException;
import io.tokengate.store.DatabaseFailures;
import io.vertx.core.http.HttpClosedException;

/** Turns whatever failed a request into the OAuth error it is answered with. */
final class Failures {

  private Failures() {
  }

  static OAuthException asOAuth(Throwable failure) {
    if (failure instanceof OAuthException oauth) {
      return oauth;
    }
    if (DatabaseFailures.isTransient(failure)) {
      return OAuthException.temporarilyUnavailable("the service is temporarily unavailable", failure);
    }
    return OAuthException.serverError(failure);
  }

  /** The client closed the connection before it was answered: there is no one to answer. */
  static boolean isClientGone(Throwable failure) {
    return failure instanceof HttpClosedException;
  }
}
