package io.tokengate.store;

import io.tokengate.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Pool;

import java.util.HashMap;
import java.util.Map;
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
    PgConnectOptions connect = connectOptions(config);
    connect.setMetricsName(name);
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
    var builder = PgBuilder.pool().with(pool).with(transport).connectingTo(connect).using(vertx);
    if (!config.transactionPooling()) {
      // The connection is ours for its lifetime: a session setting stays with it. (Behind a transaction-mode pooler
      // it would stay with whichever server connection ran it, and leak to other clients: the role's default
      // applies there instead.)
      String timeout = "SET statement_timeout = " + config.statementTimeout().toMillis();
      builder.withConnectHandler(connection -> connection.query(timeout).execute()
        .onComplete(set -> connection.close()));
    }
    return builder.build();
  }

  /**
   * The startup packet carries only parameters that poolers track for every client (PgBouncer forwards
   * application_name, client_encoding and DateStyle, and refuses the rest unless told to ignore them):
   * statement_timeout is set after connecting, and the driver's own extra_float_digits is dropped (tokengate reads
   * no floating-point columns, and PostgreSQL 12 and later print them exactly anyway).
   */
  static PgConnectOptions connectOptions(Config.Database config) {
    PgConnectOptions connect = config.url().connectOptions()
      .setReconnectAttempts(0);
    Map<String, String> properties = new HashMap<>(connect.getProperties());
    properties.remove("extra_float_digits");
    properties.put("application_name", "tokengate");
    connect.setProperties(properties);
    if (config.transactionPooling()) {
      // Each transaction may run on another server connection: a named statement prepared on one is unknown on
      // the next. Unnamed statements are parsed again in the same flight as their Bind and Execute.
      // useLayer7Proxy makes the driver send the Parse again with every Bind and Execute, in one flight.
      connect.setCachePreparedStatements(false).setUseLayer7Proxy(true);
    } else {
      connect.setCachePreparedStatements(true).setPreparedStatementCacheMaxSize(64);
    }
    return connect;
  }

  /** A round trip to the server: the readiness check and the start-up probe. */
  public static Future<Void> ping(Pool pool) {
    return pool.query("SELECT 1").execute().mapEmpty();
  }
}
