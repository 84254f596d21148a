package io.tokengate.support;

import io.tokengate.config.DatabaseUrl;
import io.tokengate.store.Databases;
import io.vertx.core.Vertx;

import java.util.UUID;

/**
 * A database of a test's own on the real PostgreSQL, so that runs and classes cannot disturb each other. The
 * server is {@code $TOKENGATE_TEST_DATABASE_URL} (default: the local one, as the postgres role).
 */
public final class TestDatabase implements AutoCloseable {

  private static final String SERVER = System.getenv().getOrDefault("TOKENGATE_TEST_DATABASE_URL",
    "postgresql://postgres@127.0.0.1:5432/postgres");

  private final Vertx vertx = Vertx.vertx();
  private final DatabaseUrl url;

  private TestDatabase(DatabaseUrl url) {
    this.url = url;
  }

  public static TestDatabase create() {
    String name = "tokengate_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    TestDatabase database = new TestDatabase(DatabaseUrl.parse(SERVER, "TOKENGATE_TEST_DATABASE_URL").withDatabase(name));
    Databases.createIfMissing(database.vertx, database.url).await();
    return database;
  }

  public DatabaseUrl url() {
    return url;
  }

  /** Drops the database now (tests of outages use this); closing afterwards is harmless. */
  public void drop() {
    Databases.drop(vertx, url).await();
  }

  @Override
  public void close() {
    try {
      drop();
    } finally {
      vertx.close().await();
    }
  }
}
