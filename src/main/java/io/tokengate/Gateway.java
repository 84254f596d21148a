package io.tokengate;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tokengate.client.RemoteJwks;
import io.tokengate.config.Config;
import io.tokengate.http.HttpServers;
import io.tokengate.http.Readiness;
import io.tokengate.token.DatabaseKeyReloader;
import io.tokengate.token.SigningKeys;
import io.tokengate.usage.PasswordGrantUsage;
import io.tokengate.user.HashingPool;
import io.tokengate.user.Lockout;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A running tokengate: start-up in dependency order ({@link Platform}, {@link StoredState}, {@link Wiring},
 * {@link BackgroundWork}), and shutdown in reverse. The composition root: the only package that wires the others.
 */
public final class Gateway {

  private static final System.Logger LOG = System.getLogger(Gateway.class.getName());

  private final Vertx vertx;
  private final List<Pool> pools;
  private final HashingPool hashingPool;
  private final RemoteJwks remoteJwks;
  /** Present when the signing keys come from the database. */
  private final Optional<DatabaseKeyReloader> keyReloader;
  private final Readiness readiness;
  private final HttpServers.Deployed deployed;
  private final PrometheusMeterRegistry registry;
  /** Background work (purging, JWKS file checks), cancelled first at shutdown. */
  private final List<Long> timers;
  private final Duration shutdownDelay;
  private final PasswordGrantUsage passwordGrantUsage;
  private final Lockout lockout;
  private Promise<Void> stopped;

  /** Reads the signing keys in the database now (when they come from there); for tests that do not wait. */
  public Future<Void> reloadSigningKeys() {
    return keyReloader.map(DatabaseKeyReloader::reload).orElse(Future.succeededFuture());
  }

  private Gateway(Vertx vertx, List<Pool> pools, HashingPool hashingPool, RemoteJwks remoteJwks, Readiness readiness,
                  HttpServers.Deployed deployed, PrometheusMeterRegistry registry, List<Long> timers,
                  Duration shutdownDelay, PasswordGrantUsage passwordGrantUsage,
                  Optional<DatabaseKeyReloader> keyReloader, Lockout lockout) {
    this.keyReloader = keyReloader;
    this.vertx = vertx;
    this.pools = pools;
    this.hashingPool = hashingPool;
    this.remoteJwks = remoteJwks;
    this.readiness = readiness;
    this.deployed = deployed;
    this.registry = registry;
    this.timers = List.copyOf(timers);
    this.shutdownDelay = shutdownDelay;
    this.passwordGrantUsage = passwordGrantUsage;
    this.lockout = lockout;
  }

  /** Starts a gateway: the platform, then what is stored, then the request path and the servers. */
  public static Future<Gateway> start(Config config, Clock clock) {
    warnOfDeprecatedKeys(config);
    Platform platform = Platform.create(config, clock);
    Promise<Gateway> started = Promise.promise();
    StoredState.load(platform, config, clock)
      .compose(state -> serve(platform, state, config, clock))
      .onSuccess(started::complete)
      .onFailure(failure -> {
        // Fail at once: continuations on the Vert.x being closed would never run.
        started.fail(failure);
        platform.vertx().close();
      });
    return started.future();
  }

  private static Future<Gateway> serve(Platform platform, StoredState state, Config config, Clock clock) {
    Wiring wiring = new Wiring(platform, state, config, clock);
    Readiness readiness = wiring.readiness();
    HttpServers.Services services = wiring.services();
    BackgroundWork background = BackgroundWork.schedule(platform, state, config, clock, wiring.passwordGrantUsage());
    return HttpServers.deploy(platform.vertx(), config, platform.eventLoops(), services, platform.registry(), readiness)
      .map(deployed -> {
        readiness.markStarted();
        logStarted(config, platform, deployed.ports(), state.keys());
        return new Gateway(platform.vertx(), List.of(platform.pool(), platform.probePool()), platform.hashingPool(),
          platform.remoteJwks(), readiness, deployed, platform.registry(), background.timers(),
          config.http().shutdownDelay(), wiring.passwordGrantUsage(), background.keyReloader(),
          wiring.lockout());
      });
  }

  /**
   * Readiness goes down first (and requests are still served for {@code http.shutdown_delay}); then the public
   * servers stop accepting and finish their in-flight requests (up to
   * the grace period), with the hashing pool and the database still there to serve them; then everything closes.
   * (Vert.x' own close would close the pools, which belong to no verticle, before undeploying the servers.)
   */
  public synchronized Future<Void> stop() {
    if (stopped != null) {
      return stopped.future();
    }
    readiness.markShuttingDown();
    timers.forEach(vertx::cancelTimer);
    // Context-free, like Vert.x' own close: continuations on an event loop being shut down would never run.
    stopped = Promise.promise();
    Duration delay = shutdownDelay;
    (delay.isZero() ? Future.<Void>succeededFuture() : vertx.timer(delay.toMillis()).<Void>mapEmpty())
      .transform(delayed -> vertx.undeploy(deployed.publicDeployment()))
      .transform(drained -> vertx.undeploy(deployed.managementDeployment()))
      // The last password grants are answered: their count goes to the database before the pools close.
      .transform(undeployed -> passwordGrantUsage.flush())
      // Places of clean successes this replica kept: given back, so that its usernames' next logins are alone.
      .transform(flushed -> lockout.releaseKept())
      .transform(undeployed -> hashingPool.close())
      .transform(closed -> remoteJwks.close())
      .transform(closed -> Future.join(pools.stream().map(Pool::close).toList()))
      .onComplete(closed -> vertx.close().onComplete(stopped));
    return stopped.future();
  }

  public HttpServers.Ports ports() {
    return deployed.ports();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Password-grant usage counted here and not yet flushed; {@link PasswordGrantUsage#flush()} writes it now. */
  public PasswordGrantUsage passwordGrantUsage() {
    return passwordGrantUsage;
  }

  /** The per-purpose keys of earlier releases still open what they sealed; the keyring replaces them. */
  private static void warnOfDeprecatedKeys(Config config) {
    List<String> deprecated = new ArrayList<>();
    config.clients().secretEncryptionKey().ifPresent(key -> deprecated.add("clients.secret_encryption_key"));
    config.totp().encryptionKey().ifPresent(key -> deprecated.add("totp.encryption_key"));
    if (!deprecated.isEmpty()) {
      LOG.log(System.Logger.Level.WARNING, String.join(" and ", deprecated) + (deprecated.size() > 1 ? " are" : " is")
        + " deprecated: configure secrets.sealing_keys, run `tokengate keys reseal`, then remove "
        + (deprecated.size() > 1 ? "them" : "it") + " (see docs/configuration.md)");
    }
  }

  private static void logStarted(Config config, Platform platform, HttpServers.Ports ports, SigningKeys keys) {
    Config.Hashing hashing = config.hashing();
    LOG.log(System.Logger.Level.INFO, String.format(
      "tokengate ready: public port %d, management port %d, issuer %s, %d event loops, hashing %d threads + queue %d "
        + "(Argon2id m=%d t=%d p=%d, %s), signing %s key %s",
      ports.publicPort(), ports.managementPort(), config.issuer(), platform.eventLoops(),
      platform.hashingPool().threads(), hashing.queueSize(), hashing.argon2MemoryKib(), hashing.argon2Iterations(),
      hashing.argon2Parallelism(), platform.hasher().implementationName(), keys.active().algorithm(),
      keys.active().kid()));
  }
}
