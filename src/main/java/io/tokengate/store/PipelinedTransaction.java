package io.tokengate.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;

import java.util.function.Function;

/**
 * {@link Pool#withTransaction} without its wait for BEGIN: the work's first statements are sent in the same flight
 * as BEGIN, and statements issued without waiting for each other are pipelined on the connection. PostgreSQL still
 * runs them one after another, in order, inside the transaction; only the round trips in between go away (a refresh
 * is three round trips instead of five).
 */
public final class PipelinedTransaction {

  private PipelinedTransaction() {
  }

  /** Commits when {@code work} succeeds, rolls back when it fails; either way the connection goes back to the pool. */
  public static <T> Future<T> run(Pool pool, Function<SqlConnection, Future<T>> work) {
    return pool.withConnection(connection -> {
      Future<Transaction> begun = connection.begin();
      Future<T> done = work.apply(connection);
      // Both settle before the connection is given back, so that no statement of ours is still in flight on it.
      return Future.join(begun, done).transform(settled -> {
        if (begun.failed()) {
          return Future.failedFuture(begun.cause());
        }
        Transaction transaction = begun.result();
        if (done.succeeded()) {
          return transaction.commit().map(done.result());
        }
        return transaction.rollback().transform(rolledBack -> Future.failedFuture(done.cause()));
      });
    });
  }
}
