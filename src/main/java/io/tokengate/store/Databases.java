package io.tokengate.store;

import io.tokengate.config.DatabaseUrl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;


/** Creating and dropping databases: for the demo start and for tests, which each get a database of their own. */
public final class Databases {

  private Databases() {
  }

  /** Creates {@code url}'s database unless it exists; connects through the server's {@code postgres} database. */
  public static Future<Boolean> createIfMissing(Vertx vertx, DatabaseUrl url) {
    return withAdmin(vertx, url, (admin, name) -> admin
      .preparedQuery("SELECT 1 FROM pg_database WHERE datname = $1").execute(Tuple.of(name))
      .compose(rows -> rows.size() > 0
        ? Future.succeededFuture(false)
        : admin.query("CREATE DATABASE \"" + name + "\"").execute().map(true)));
  }

  public static Future<Void> drop(Vertx vertx, DatabaseUrl url) {
    return withAdmin(vertx, url, (admin, name) -> admin
      .query("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)").execute().mapEmpty());
  }

  private interface AdminAction<T> {
    Future<T> run(Pool admin, String database);
  }

  private static <T> Future<T> withAdmin(Vertx vertx, DatabaseUrl url, AdminAction<T> action) {
    String name = url.database();
    // The name goes into DDL, which takes no parameters: allow only plain identifiers.
    if (!name.matches("[A-Za-z0-9_]+")) {
      return Future.failedFuture(new IllegalArgumentException("refusing to create or drop database " + name));
    }
    Pool admin = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
      .connectingTo(url.withDatabase("postgres").connectOptions()).using(vertx).build();
    return action.run(admin, name).eventually(admin::close);
  }
}
