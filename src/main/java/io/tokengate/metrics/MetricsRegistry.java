package io.tokengate.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tokengate.crypto.PublicKeyVerifiers;
import io.tokengate.logging.AsyncConsoleHandler;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/** The Prometheus registry of one gateway, and the Vert.x metrics options that feed it. */
public final class MetricsRegistry {

  /**
   * Latency buckets for the HTTP histogram: fine around a password grant (tens of milliseconds, one hash) and
   * around the sub-millisecond grants, so that a p99 SLO can be read from them.
   */
  static final double[] LATENCY_BUCKETS_SECONDS = {
    0.001, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10};

  private MetricsRegistry() {
  }

  /** The same buckets for timers of our own (hash time, wait time). */
  public static Duration[] latencyBuckets() {
    Duration[] buckets = new Duration[LATENCY_BUCKETS_SECONDS.length];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = Duration.ofNanos((long) (LATENCY_BUCKETS_SECONDS[i] * 1e9));
    }
    return buckets;
  }

  public static PrometheusMeterRegistry create() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Prometheus counts time in seconds: these two binders count in milliseconds and nanoseconds.
    registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("jvm.compilation.time")
      || id.getName().equals("process.cpu.time")));
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (id.getName().equals("vertx.http.server.response.time")) {
          return DistributionStatisticConfig.builder()
            .percentilesHistogram(false)
            .serviceLevelObjectives(toNanos(LATENCY_BUCKETS_SECONDS)) // timers count in nanoseconds
            .build().merge(config);
        }
        return config;
      }
    });
    // Labels from requests (method, route, status) take a bounded number of values: the last filter, since it
    // registers meters of its own.
    BoundedLabels.install(registry);
    BuildInfo.register(registry);
    ProcessCpu.register(registry);
    FunctionCounter.builder("tokengate.log.lines.dropped", AsyncConsoleHandler.class,
        handler -> AsyncConsoleHandler.droppedLines())
      .description("Log lines other than audit lines dropped because their share of the log writer's queue was full")
      .register(registry);
    FunctionCounter.builder("tokengate.audit.lines.dropped", AsyncConsoleHandler.class,
        handler -> AsyncConsoleHandler.droppedAuditLines())
      .description("Audit lines dropped because their own share of the log writer's queue was full")
      .register(registry);
    FunctionCounter.builder("tokengate.unacceptable.keys", PublicKeyVerifiers.class,
        verifiers -> PublicKeyVerifiers.unacceptableKeys())
      .description("Keys from requests, registrations or jwks_uri documents refused before any signature work: not "
        + "RSA 2048-4096 bits with e=65537, P-256/384/521 or Ed25519")
      .register(registry);
    return registry;
  }

  /** Vert.x metrics into {@code registry}; each gateway gets its own registry name (several run in one test JVM). */
  public static MicrometerMetricsOptions vertxOptions() {
    return new MicrometerMetricsOptions()
      .setEnabled(true)
      .setRegistryName("tokengate-" + UUID.randomUUID())
      .setJvmMetricsEnabled(true)
      // Per-connection byte counts of the PostgreSQL client add nothing to the pool metrics, and its connections
      // register clashing gauges.
      .setDisabledMetricsCategories(Set.of(MetricsDomain.NET_CLIENT.toCategory()))
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
      // LOCAL tells the public server from the management one; NAMESPACE (the SQL client's metrics name) the
      // request pool's queries from the readiness probe's.
      .setLabels(EnumSet.of(Label.LOCAL, Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE,
        Label.POOL_NAME, Label.NAMESPACE));
  }

  private static double[] toNanos(double[] seconds) {
    double[] nanos = new double[seconds.length];
    for (int i = 0; i < seconds.length; i++) {
      nanos[i] = seconds[i] * 1e9;
    }
    return nanos;
  }
}
