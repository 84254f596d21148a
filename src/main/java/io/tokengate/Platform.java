package io.tokengate;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tokengate.client.RemoteJwks;
import io.tokengate.config.Config;
import io.tokengate.config.ConfigException;
import io.tokengate.metrics.MetricsRegistry;
import io.tokengate.store.Database;
import io.tokengate.tls.CertificateAuthorities;
import io.tokengate.tls.TrustedProxies;
import io.tokengate.user.Argon2Hasher;
import io.tokengate.user.HashingPool;
import io.tokengate.user.PasswordHashing;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.sqlclient.Pool;

import java.nio.file.Path;
import java.time.Clock;

/**
 * What every part of a running gateway shares: Vert.x with its metrics, the database pools, the hashing pool, the
 * client-JWKS fetcher, and what is read from files. Made on the caller's thread, before any event loop runs: a file
 * that cannot be read stops start-up.
 */
record Platform(Vertx vertx, PrometheusMeterRegistry registry, int eventLoops, Pool pool, Pool probePool,
                HashingPool hashingPool, Argon2Hasher hasher, PasswordHashing hashing, RemoteJwks remoteJwks,
                TrustedProxies trustedProxies, CertificateAuthorities authorities) {

  /** Distinct jwks_uri values kept; more clients than this with their own URI refetch more often, nothing worse. */
  private static final int REMOTE_JWKS_ENTRIES = 10_000;

  static Platform create(Config config, Clock clock) {
    TrustedProxies trustedProxies = TrustedProxies.parse(config.http().trustedProxies());
    CertificateAuthorities authorities = config.clients().tlsCaFile()
      .map(Platform::load).orElse(CertificateAuthorities.none());
    int eventLoops = orCores(config.http().eventLoops());
    PrometheusMeterRegistry registry = MetricsRegistry.create();
    Vertx vertx = Vertx.builder()
      .with(new VertxOptions().setEventLoopPoolSize(eventLoops).setMetricsOptions(MetricsRegistry.vertxOptions()))
      .withMetrics(new MicrometerMetricsFactory(registry))
      .build();
    Config.Hashing hashingConfig = config.hashing();
    HashingPool hashingPool = new HashingPool(vertx, orCores(hashingConfig.threads()), hashingConfig.queueSize(),
      registry);
    Argon2Hasher hasher = Argon2Hasher.of(hashingConfig);
    Config.JwksUri jwksUri = config.clients().jwksUri();
    RemoteJwks remoteJwks = new RemoteJwks(vertx, new RemoteJwks.Settings(jwksUri.timeout(), jwksUri.maxBytes(),
      jwksUri.cacheTtl(), jwksUri.refetchInterval(), REMOTE_JWKS_ENTRIES), clock);
    return new Platform(vertx, registry, eventLoops, Database.pool(vertx, config.database(), eventLoops),
      Database.probePool(vertx, config.database()), hashingPool, hasher, new PasswordHashing(hashingPool, hasher),
      remoteJwks, trustedProxies, authorities);
  }

  static int orCores(int configured) {
    return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
  }

  private static CertificateAuthorities load(Path caFile) {
    try {
      return CertificateAuthorities.load(caFile);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid configuration: clients.tls_ca_file " + e.getMessage());
    }
  }
}
