package io.tokengate.http;

import io.tokengate.store.Database;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.sqlclient.Pool;

import java.util.function.BooleanSupplier;

/**
 * Whether this replica should get traffic: the database answers, the signing keys are loaded, and it is not
 * shutting down (readiness drops first on SIGTERM, so the load balancer stops sending before the server stops).
 */
public final class Readiness {

  private static final long CHECK_TIMEOUT_MILLIS = 1000;

  private final Pool pool;
  private final BooleanSupplier keysLoaded;
  private volatile boolean shuttingDown;

  public Readiness(Pool pool, BooleanSupplier keysLoaded) {
    this.pool = pool;
    this.keysLoaded = keysLoaded;
  }

  public void markShuttingDown() {
    shuttingDown = true;
  }

  HealthChecks checks(Vertx vertx) {
    return HealthChecks.create(vertx)
      .register("accepting-traffic", promise -> promise.complete(shuttingDown ? Status.KO() : Status.OK()))
      .register("signing-keys", promise -> promise.complete(keysLoaded.getAsBoolean() ? Status.OK() : Status.KO()))
      .register("database", CHECK_TIMEOUT_MILLIS, promise -> Database.ping(pool)
        .onComplete(ping -> promise.tryComplete(ping.succeeded() ? Status.OK() : Status.KO())));
  }
}
