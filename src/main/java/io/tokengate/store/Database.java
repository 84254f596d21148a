package io.tokengate.store;

import io.tokengate.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Pool;

import java.util.concurrent.TimeUnit;

/** Builds the one PostgreSQL pool that every verticle instance shares. */
public final class Database {

  private Database() {
  }

  public static Pool pool(Vertx vertx, Config.Database config, int eventLoops) {
    return pool(vertx, config, "tokengate", eventLoops, config.poolSize(), config.maxWaitQueue());
  }

  /**
   * A pool of one connection for the readiness probe: a busy request pool must not make a replica look dead (and
   * be taken out of service exactly when it is needed), while a database that does not answer must.
   */
  public static Pool probePool(Vertx vertx, Config.Database config) {
    return pool(vertx, config, "tokengate-probe", 1, 1, 1);
  }

  private static Pool pool(Vertx vertx, Config.Database config, String name, int eventLoops, int size,
                           int waitQueue) {
    PgConnectOptions connect = config.url().connectOptions()
      .setCachePreparedStatements(true)
      .setPreparedStatementCacheMaxSize(64)
      .setReconnectAttempts(0);
    connect.addProperty("statement_timeout", Long.toString(config.statementTimeout().toMillis()));
    connect.setMetricsName(name);
    connect.addProperty("application_name", "tokengate");
    // NOTICEs ("relation already exists, skipping") are not worth a log line each.
    connect.addProperty("client_min_messages", "warning");
    PoolOptions pool = new PoolOptions()
      .setMaxSize(size)
      .setMaxWaitQueueSize(waitQueue)
      .setConnectionTimeout((int) config.acquireTimeout().toMillis())
      .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
      .setIdleTimeout(5)
      .setIdleTimeoutUnit(TimeUnit.MINUTES)
      .setPoolCleanerPeriod(30_000)
      .setEventLoopSize(eventLoops)
      .setName(name);
    NetClientOptions transport = new NetClientOptions()
      .setConnectTimeout((int) config.connectTimeout().toMillis())
      .setTcpKeepAlive(true);
    return PgBuilder.pool().with(pool).with(transport).connectingTo(connect).using(vertx).build();
  }

  /** A round trip to the server: the readiness check and the start-up probe. */
  public static Future<Void> ping(Pool pool) {
    return pool.query("SELECT 1").execute().mapEmpty();
  }
}
