package io.tokengate.store;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

import java.net.ConnectException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/** Which failures of the database are an outage (worth a retry elsewhere or later) rather than a bug. */
public final class DatabaseFailures {

  /** The messages of the Vert.x pool's own failures: acquisition timeout, and a pool closing during shutdown. */
  private static final Set<String> POOL_FAILURES = Set.of("Timeout", "Timeout waiting for connection", "Pool closed");
  /** A command given to a pooled connection the network has just taken away (closing or closed). */
  private static final String CONNECTION_GONE = "Connection is not active now";

  private DatabaseFailures() {
  }

  public static boolean isTransient(Throwable failure) {
    if (failure instanceof PgException pg) {
      return isTransientSqlState(pg.getSqlState());
    }
    return failure instanceof ConnectException            // refused, or connect timeout (Netty's subclass)
      || failure instanceof ClosedConnectionException      // the server or the network dropped the connection
      || failure instanceof ConnectionPoolTooBusyException // the pool's wait queue is full
      || failure instanceof TimeoutException
      || failure instanceof VertxException && (POOL_FAILURES.contains(failure.getMessage())
        || failure.getMessage() != null && failure.getMessage().startsWith(CONNECTION_GONE));
  }

  private static boolean isTransientSqlState(String sqlState) {
    if (sqlState == null || sqlState.length() != 5) {
      return false;
    }
    return switch (sqlState.substring(0, 2)) {
      // connection exception, insufficient resources, operator intervention (shutdown, statement timeout),
      // transaction rollback (serialization, deadlock), invalid catalog (database dropped)
      case "08", "53", "57", "40", "3D" -> true;
      default -> sqlState.equals("55P03") || sqlState.equals("25006");
    };
  }
}
