package io.tokengate.http;

import io.tokengate.store.Database;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.sqlclient.Pool;


/**
 * Whether this replica should get traffic: the database answers and it is not shutting down (readiness drops first
 * on SIGTERM, so the load balancer stops sending before the server stops). Signing keys need no check: the servers
 * start only once they are loaded.
 */
public final class Readiness {

  private static final long CHECK_TIMEOUT_MILLIS = 1000;

  private final Pool probePool;
  private volatile boolean shuttingDown;

  /** @param probePool a pool of its own ({@link Database#probePool}), not the one requests wait for */
  public Readiness(Pool probePool) {
    this.probePool = probePool;
  }

  public void markShuttingDown() {
    shuttingDown = true;
  }

  boolean isShuttingDown() {
    return shuttingDown;
  }

  HealthChecks checks(Vertx vertx) {
    return HealthChecks.create(vertx)
      .register("accepting-traffic", promise -> promise.complete(shuttingDown ? Status.KO() : Status.OK()))
      .register("database", CHECK_TIMEOUT_MILLIS, promise -> Database.ping(probePool)
        .onComplete(ping -> promise.tryComplete(ping.succeeded() ? Status.OK() : Status.KO())));
  }
}
