package io.tokengate.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tokengate.config.Config;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.function.IntConsumer;

/** The management port: Prometheus metrics and Kubernetes probes. Never routed to from outside the cluster. */
final class ManagementVerticle extends VerticleBase {

  static final String METRICS_PATH = "/metrics";
  static final String LIVE_PATH = "/health/live";
  static final String READY_PATH = "/health/ready";
  static final String STARTED_PATH = "/health/started";

  private final Config.Management config;
  private final PrometheusMeterRegistry registry;
  private final Readiness readiness;
  private final IntConsumer boundPort;
  private HttpServer server;

  ManagementVerticle(Config.Management config, PrometheusMeterRegistry registry, Readiness readiness,
                     IntConsumer boundPort) {
    this.config = config;
    this.registry = registry;
    this.readiness = readiness;
    this.boundPort = boundPort;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get(METRICS_PATH).handler(PrometheusScrapingHandler.create(registry));
    // Liveness asks only whether this process still answers: a database outage must not restart every replica.
    HealthChecks live = HealthChecks.create(vertx).register("event-loop", promise -> promise.complete(Status.OK()));
    router.get(LIVE_PATH).handler(HealthCheckHandler.createWithHealthChecks(live));
    router.get(STARTED_PATH).handler(HealthCheckHandler.createWithHealthChecks(readiness.started(vertx)));
    router.get(READY_PATH).handler(HealthCheckHandler.createWithHealthChecks(readiness.checks(vertx)));
    return vertx.createHttpServer()
      .requestHandler(router)
      .listen(config.port(), config.host())
      .recover(failure -> Future.failedFuture(HttpServers.cannotListen("management", config.host(), config.port(), failure)))
      .onSuccess(listening -> {
        server = listening;
        boundPort.accept(listening.actualPort());
      });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
