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
 * Applies the pending schema migrations, each in a transaction of its own that first takes a transaction-scoped
 * advisory lock and then looks at what is applied: replicas that start together take turns, and each migration
 * runs exactly once. Nothing outlives a transaction (no session lock, no session setting), so this works through a
 * transaction-mode pooler, which may run each transaction on another server connection.
 */
public final class Migrations {

  /** "tokengat" in ASCII: the advisory lock that serializes migrations. */
  private static final long LOCK_KEY = 0x746f6b656e676174L;

  private Migrations() {
  }

  /** @return the names of the migrations applied now (empty when the schema was current) */
  public static Future<List<String>> apply(Vertx vertx, Pool pool) {
    return vertx.executeBlocking(MigrationFiles::load, false)
      .compose(migrations -> applyNext(pool, migrations, new ArrayList<>()));
  }

  private static Future<List<String>> applyNext(Pool pool, List<Migration> migrations, List<String> names) {
    return pool.withTransaction(connection -> lock(connection)
        .compose(locked -> applied(connection))
        .compose(applied -> {
          Migration next = firstPending(migrations, applied);
          return next == null ? Future.succeededFuture(false) : applyOne(connection, next).map(v -> {
            names.add(describe(next));
            return true;
          });
        }))
      .compose(appliedOne -> appliedOne ? applyNext(pool, migrations, names) : Future.succeededFuture(names));
  }

  /**
   * A migration may run long, and a replica may wait long for another's: the request path's statement_timeout does
   * not apply here. NOTICEs ("relation already exists, skipping") are not worth a log line each.
   */
  private static Future<Void> lock(SqlConnection connection) {
    return connection.query("SET LOCAL statement_timeout = 0").execute()
      .compose(v -> connection.query("SET LOCAL client_min_messages = warning").execute())
      .compose(v -> connection.query("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")").execute())
      .mapEmpty();
  }

  private static Future<Map<Integer, String>> applied(SqlConnection connection) {
    return connection.query("""
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version    integer PRIMARY KEY,
          name       text NOT NULL,
          checksum   text NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now())""").execute()
      .compose(created -> connection.query("SELECT version, checksum FROM schema_migrations").execute())
      .map(rows -> {
        Map<Integer, String> applied = new HashMap<>();
        for (Row row : rows) {
          applied.put(row.getInteger("version"), row.getString("checksum"));
        }
        return applied;
      });
  }

  /** The first migration not applied yet, or null; fails when an applied one was changed since. */
  private static Migration firstPending(List<Migration> migrations, Map<Integer, String> applied) {
    for (Migration migration : migrations) {
      String checksum = applied.get(migration.version());
      if (checksum == null) {
        return migration;
      }
      if (!checksum.equals(migration.checksum())) {
        throw new IllegalStateException(
          "migration " + describe(migration) + " was changed after it was applied to this database");
      }
    }
    return null;
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

  private static Future<Void> applyOne(SqlConnection connection, Migration migration) {
    return connection.query(migration.sql()).execute()
      .compose(done -> connection
        .preparedQuery("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)")
        .execute(Tuple.of(migration.version(), migration.name(), migration.checksum())))
      .<Void>mapEmpty()
      .recover(failure -> Future.failedFuture(
        new IllegalStateException("migration " + describe(migration) + " failed: " + failure.getMessage(), failure)));
  }

  private static String describe(Migration migration) {
    return "V" + migration.version() + "__" + migration.name();
  }
}
