package io.tokengate.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the pending schema migrations, each in its own transaction. A PostgreSQL advisory lock makes replicas
 * that start together take turns, so that each migration runs exactly once.
 */
public final class Migrations {

  /** "tokengat" in ASCII: the advisory lock that serializes migrations. */
  private static final long LOCK_KEY = 0x746f6b656e676174L;

  private Migrations() {
  }

  /** @return the names of the migrations applied now (empty when the schema was current) */
  public static Future<List<String>> apply(Vertx vertx, Pool pool) {
    return vertx.executeBlocking(MigrationFiles::load, false)
      .compose(migrations -> pool.withConnection(connection ->
        // A migration may run long, and a replica may wait long for another's: the request path's
        // statement_timeout does not apply here.
        connection.query("SET statement_timeout = 0").execute()
          .compose(unlimited -> connection.query("SELECT pg_advisory_lock(" + LOCK_KEY + ")").execute())
          .compose(locked -> applyPending(connection, migrations))
          .eventually(() -> connection.query("SELECT pg_advisory_unlock(" + LOCK_KEY + ")").execute()
            .eventually(() -> connection.query("RESET statement_timeout").execute()))));
  }

  /**
   * The migrations this version knows that the database has not had, without applying anything (a version that
   * does not migrate on start checks this before it serves, and {@code migrate --wait} polls it).
   */
  public static Future<List<String>> pending(Vertx vertx, Pool pool) {
    return vertx.executeBlocking(MigrationFiles::load, false)
      .compose(migrations -> pool.query("SELECT to_regclass('schema_migrations') IS NOT NULL").execute()
        .compose(exists -> exists.iterator().next().getBoolean(0)
          ? pool.query("SELECT version FROM schema_migrations").execute().map(rows -> {
            List<Integer> applied = new ArrayList<>();
            rows.forEach(row -> applied.add(row.getInteger(0)));
            return applied;
          })
          : Future.succeededFuture(List.<Integer>of()))
        .map(applied -> migrations.stream()
          .filter(migration -> !applied.contains(migration.version()))
          .map(Migrations::describe)
          .toList()));
  }

  private static Future<List<String>> applyPending(SqlConnection connection, List<Migration> migrations) {
    return connection.query("""
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version    integer PRIMARY KEY,
          name       text NOT NULL,
          checksum   text NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now())""").execute()
      .compose(created -> connection.query("SELECT version, checksum FROM schema_migrations").execute())
      .compose(rows -> {
        Map<Integer, String> applied = new HashMap<>();
        for (Row row : rows) {
          applied.put(row.getInteger("version"), row.getString("checksum"));
        }
        List<String> names = new ArrayList<>();
        Future<Void> chain = Future.succeededFuture();
        for (Migration migration : migrations) {
          String checksum = applied.get(migration.version());
          if (checksum == null) {
            chain = chain.compose(v -> applyOne(connection, migration)).onSuccess(v -> names.add(describe(migration)));
          } else if (!checksum.equals(migration.checksum())) {
            return Future.failedFuture(new IllegalStateException(
              "migration " + describe(migration) + " was changed after it was applied to this database"));
          }
        }
        return chain.map(v -> names);
      });
  }

  private static Future<Void> applyOne(SqlConnection connection, Migration migration) {
    return connection.begin().compose(transaction ->
      connection.query(migration.sql()).execute()
        .compose(done -> connection
          .preparedQuery("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)")
          .execute(Tuple.of(migration.version(), migration.name(), migration.checksum())))
        .compose(inserted -> transaction.commit())
        .recover(failure -> transaction.rollback().transform(ignored -> Future.failedFuture(
          new IllegalStateException("migration " + describe(migration) + " failed: " + failure.getMessage(), failure)))));
  }

  private static String describe(Migration migration) {
    return "V" + migration.version() + "__" + migration.name();
  }
}
