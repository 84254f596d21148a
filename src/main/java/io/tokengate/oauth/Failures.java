package io.tokengate.oauth;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** Turns whatever failed a request into the OAuth error it is answered with. */
public final class Failures {

  /** Seconds a client should wait before retrying after an outage or overload. */
  public static final long RETRY_AFTER_SECONDS = 1;

  private Failures() {
  }

  public static OAuthException asOAuth(Throwable failure) {
    if (failure instanceof OAuthException oauth) {
      return oauth;
    }
    if (isUnavailable(failure)) {
      return OAuthException.temporarilyUnavailable("the service is temporarily unavailable", RETRY_AFTER_SECONDS, failure);
    }
    return OAuthException.serverError(failure);
  }

  /**
   * A failure of something the server depends on (the database, a pool) rather than a bug: the request may
   * succeed when retried, so it is a 503, not a 500.
   */
  static boolean isUnavailable(Throwable failure) {
    if (failure instanceof PgException pg) {
      return isTransientSqlState(pg.getSqlState());
    }
    // Connection refused or reset, pool wait queue full, timeout waiting for a connection, closed connection.
    return failure instanceof IOException || failure instanceof TimeoutException || failure instanceof VertxException;
  }

  private static boolean isTransientSqlState(String sqlState) {
    if (sqlState == null || sqlState.length() != 5) {
      return false;
    }
    return switch (sqlState.substring(0, 2)) {
      // connection exception, insufficient resources, operator intervention (shutdown, cancel),
      // transaction rollback (serialization, deadlock), invalid catalog (database dropped)
      case "08", "53", "57", "40", "3D" -> true;
      default -> sqlState.equals("55P03") || sqlState.equals("25006");
    };
  }
}
