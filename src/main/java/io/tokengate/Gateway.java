package io.tokengate;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tokengate.client.ClientAuthenticator;
import io.tokengate.client.ClientCache;
import io.tokengate.client.ClientSecrets;
import io.tokengate.client.ClientStore;
import io.tokengate.config.Config;
import io.tokengate.grant.Grants;
import io.tokengate.grant.PasswordGrant;
import io.tokengate.http.HttpServers;
import io.tokengate.http.Readiness;
import io.tokengate.metrics.MetricsRegistry;
import io.tokengate.metrics.TokenRequestMetrics;
import io.tokengate.store.Database;
import io.tokengate.store.DatabaseUnavailableException;
import io.tokengate.store.Migrations;
import io.tokengate.token.AccessTokenIssuer;
import io.tokengate.token.SigningKeyLoader;
import io.tokengate.token.SigningKeys;
import io.tokengate.user.Argon2Hasher;
import io.tokengate.user.HashingPool;
import io.tokengate.user.PasswordHashing;
import io.tokengate.user.UserAuthenticator;
import io.tokengate.user.UserStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.sqlclient.Pool;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

/** A running tokengate: start-up in dependency order, and shutdown in reverse. The wiring lives here only. */
public final class Gateway {

  private static final System.Logger LOG = System.getLogger(Gateway.class.getName());

  private final Vertx vertx;
  private final Readiness readiness;
  private final HttpServers.Ports ports;
  private final PrometheusMeterRegistry registry;

  private Gateway(Vertx vertx, Readiness readiness, HttpServers.Ports ports, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.readiness = readiness;
    this.ports = ports;
    this.registry = registry;
  }

  public static Future<Gateway> start(Config config, Clock clock) {
    int eventLoops = orCores(config.http().eventLoops());
    PrometheusMeterRegistry registry = MetricsRegistry.create();
    Vertx vertx = Vertx.builder()
      .with(new VertxOptions().setEventLoopPoolSize(eventLoops).setMetricsOptions(MetricsRegistry.vertxOptions()))
      .withMetrics(new MicrometerMetricsFactory(registry))
      .build();
    Pool pool = Database.pool(vertx, config.database(), eventLoops);
    Config.Hashing hashingConfig = config.hashing();
    HashingPool hashingPool = new HashingPool(vertx, orCores(hashingConfig.threads()), hashingConfig.queueSize(), registry);
    PasswordHashing hashing = new PasswordHashing(hashingPool, new Argon2Hasher(new Argon2Hasher.Parameters(
      hashingConfig.argon2MemoryKib(), hashingConfig.argon2Iterations(), hashingConfig.argon2Parallelism())));

    Promise<Gateway> started = Promise.promise();
    Database.ping(pool)
      .recover(failure -> Future.failedFuture(DatabaseUnavailableException.describe(config.database().url(), failure)))
      .compose(reachable -> config.database().migrateOnStart()
        ? Migrations.apply(vertx, pool).onSuccess(Gateway::logMigrations).mapEmpty()
        : Future.<Void>succeededFuture())
      .compose(migrated -> SigningKeyLoader.load(vertx, pool, config.tokens()))
      .compose(keys -> hashing.hash(unguessable()).compose(decoyHash -> {
        UserAuthenticator users = new UserAuthenticator(new UserStore(pool), hashing, decoyHash);
        AccessTokenIssuer issuer = new AccessTokenIssuer(config.issuer(), config.tokens().audience(), keys, clock);
        Grants grants = new Grants(List.of(
          new PasswordGrant(users, issuer, config.limits(), config.tokens().accessTokenLifetime())));
        ClientAuthenticator clients = new ClientAuthenticator(
          new ClientCache(new ClientStore(pool), config.clients().cacheTtl()), new ClientSecrets(hashing));
        Readiness readiness = new Readiness(pool, () -> true);
        return HttpServers.deploy(vertx, config, eventLoops, clients, grants, keys,
            new TokenRequestMetrics(registry, grants.supported()), registry, readiness)
          .map(ports -> {
            logStarted(config, ports, eventLoops, hashingPool, keys);
            return new Gateway(vertx, readiness, ports, registry);
          });
      }))
      .onSuccess(started::complete)
      .onFailure(failure -> {
        // Fail at once: continuations on the Vert.x being closed would never run.
        started.fail(failure);
        vertx.close();
      });
    return started.future();
  }

  /** Readiness goes down first, then in-flight requests finish (up to the grace period), then pools close. */
  public Future<Void> stop() {
    readiness.markShuttingDown();
    return vertx.close();
  }

  public HttpServers.Ports ports() {
    return ports;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  static int orCores(int configured) {
    return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
  }

  /** A password nobody knows, whose hash unknown users are checked against (equal work for every username). */
  private static String unguessable() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static void logMigrations(List<String> applied) {
    if (!applied.isEmpty()) {
      LOG.log(System.Logger.Level.INFO, "applied migrations " + String.join(", ", applied));
    }
  }

  private static void logStarted(Config config, HttpServers.Ports ports, int eventLoops, HashingPool hashingPool,
                                 SigningKeys keys) {
    Config.Hashing hashing = config.hashing();
    LOG.log(System.Logger.Level.INFO, String.format(
      "tokengate ready: public port %d, management port %d, issuer %s, %d event loops, hashing %d threads + queue %d "
        + "(Argon2id m=%d t=%d p=%d), signing %s key %s",
      ports.publicPort(), ports.managementPort(), config.issuer(), eventLoops, hashingPool.threads(),
      hashing.queueSize(), hashing.argon2MemoryKib(), hashing.argon2Iterations(), hashing.argon2Parallelism(),
      keys.active().algorithm(), keys.active().kid()));
  }
}
