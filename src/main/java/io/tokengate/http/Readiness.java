package io.tokengate.http;

import io.tokengate.config.DatabaseUrl;
import io.tokengate.token.SigningKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;


import java.util.function.Supplier;

/**
 * Whether this replica has started, and whether it should get traffic: the database answers and it is not shutting
 * down (readiness drops first on SIGTERM, so the load balancer stops sending before the server stops). Each
 * dependency is a check of its own whose detail names it without a secret: the database's host, port and name, the
 * signing key's id and source, the user sources.
 */
public final class Readiness {

  private static final long CHECK_TIMEOUT_MILLIS = 1000;

  private final Supplier<Future<Void>> pingDatabase;
  private final JsonObject database;
  private final SigningKeys keys;
  private final String keySource;
  private volatile boolean started;
  private volatile boolean shuttingDown;

  /**
   * @param pingDatabase a round trip to PostgreSQL through a pool of its own, not the one requests wait for
   * @param keySource    where the signing keys come from: {@code database} or {@code file}
   */
  public Readiness(Supplier<Future<Void>> pingDatabase, DatabaseUrl url, SigningKeys keys, String keySource) {
    this.pingDatabase = pingDatabase;
    this.database = new JsonObject().put("host", url.host()).put("port", url.port()).put("database", url.database());
    this.keys = keys;
    this.keySource = keySource;
  }

  /** Start-up is over: migrations checked, keys loaded, both ports listening. */
  public void markStarted() {
    started = true;
  }

  public void markShuttingDown() {
    shuttingDown = true;
  }

  boolean isShuttingDown() {
    return shuttingDown;
  }

  /** The startup probe: until it is up, Kubernetes neither probes liveness nor sends traffic. */
  HealthChecks started(Vertx vertx) {
    return HealthChecks.create(vertx)
      .register("started", promise -> promise.complete(started ? Status.OK() : Status.KO()));
  }

  HealthChecks checks(Vertx vertx) {
    return HealthChecks.create(vertx)
      .register("accepting-traffic", promise -> promise.complete(shuttingDown ? Status.KO() : Status.OK()))
      .register("database", CHECK_TIMEOUT_MILLIS, promise -> pingDatabase.get()
        .onComplete(ping -> promise.tryComplete(ping.succeeded() ? Status.OK(database.copy())
          : Status.KO(database.copy()))))
      // Loaded before the servers start, so always there; the detail says which key signs now.
      .register("signing-keys", promise -> promise.complete(Status.OK(new JsonObject().put("source", keySource)
        .put("algorithm", keys.active().algorithm().getName()).put("kid", keys.active().kid()))))
      // The local users table is the one user source; it lives in the database, whose check above says whether it
      // answers (a second ping would compete for the probe pool's one connection).
      .register("user-sources", promise -> promise.complete(Status.OK(new JsonObject().put("local", "database"))));
  }
}
