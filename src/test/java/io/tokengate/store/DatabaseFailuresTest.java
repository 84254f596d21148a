package io.tokengate.store;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An outage is told apart from a bug: the first is a 503 worth a retry, the second a 500. */
class DatabaseFailuresTest {

  @Test
  void anOutageIsTransient() {
    assertTrue(DatabaseFailures.isTransient(new ConnectException("refused")));
    assertTrue(DatabaseFailures.isTransient(ClosedConnectionException.INSTANCE));
    assertTrue(DatabaseFailures.isTransient(VertxException.noStackTrace("Timeout waiting for connection")));
    // Met once in DatabaseFaultTest: a request raced the pool's connection as the network came back.
    assertTrue(DatabaseFailures.isTransient(
      VertxException.noStackTrace("Connection is not active now, current status: CLOSED")));
    assertTrue(DatabaseFailures.isTransient(new PgException("terminating connection", "FATAL", "57P01", null)));
    assertTrue(DatabaseFailures.isTransient(new PgException("database does not exist", "FATAL", "3D000", null)));
  }

  @Test
  void aBugIsNot() {
    assertFalse(DatabaseFailures.isTransient(new PgException("syntax error", "ERROR", "42601", null)));
    assertFalse(DatabaseFailures.isTransient(new PgException("duplicate key", "ERROR", "23505", null)));
    assertFalse(DatabaseFailures.isTransient(VertxException.noStackTrace("something else")));
    assertFalse(DatabaseFailures.isTransient(new IllegalStateException("bug")));
  }
}
