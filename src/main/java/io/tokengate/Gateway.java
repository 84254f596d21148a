package io.tokengate;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tokengate.logging.AuditLog;
import io.tokengate.client.ClientAuthenticator;
import io.tokengate.client.ClientCache;
import io.tokengate.client.ClientStore;
import io.tokengate.client.RemoteJwks;
import io.tokengate.client.SupportedClientAuth;
import io.tokengate.config.Config;
import io.tokengate.config.ConfigException;
import io.tokengate.dpop.DpopProofVerifier;
import io.tokengate.grant.Grants;
import io.tokengate.grant.SenderConstraints;
import io.tokengate.http.HttpServers;
import io.tokengate.http.Readiness;
import io.tokengate.metrics.ClientAuthenticationMetrics;
import io.tokengate.metrics.MetricsRegistry;
import io.tokengate.metrics.PasswordGrantMetrics;
import io.tokengate.metrics.TokenLifecycleMetrics;
import io.tokengate.metrics.TokenRequestMetrics;
import io.tokengate.store.Database;
import io.tokengate.store.DatabaseUnavailableException;
import io.tokengate.store.Migrations;
import io.tokengate.store.OneTimeIds;
import io.tokengate.store.SealedRows;
import io.tokengate.tls.CertificateAuthorities;
import io.tokengate.tls.TrustedProxies;
import io.tokengate.token.AccessTokenIssuer;
import io.tokengate.token.AccessTokenRevocations;
import io.tokengate.token.AccessTokenVerifier;
import io.tokengate.token.ExpiredTokenPurger;
import io.tokengate.token.DatabaseKeyReloader;
import io.tokengate.token.DatabaseKeys;
import io.tokengate.token.JwksFileWatcher;
import io.tokengate.token.RefreshTokens;
import io.tokengate.token.SigningKeyLoader;
import io.tokengate.token.SigningKeys;
import io.tokengate.token.TokenIntrospector;
import io.tokengate.token.TokenRevoker;
import io.tokengate.user.Argon2Hasher;
import io.tokengate.user.HashingPool;
import io.tokengate.user.Lockout;
import io.tokengate.user.SecondFactor;
import io.tokengate.user.TotpSecretSealer;
import io.tokengate.user.PasswordHashing;
import io.tokengate.user.UserAuthenticator;
import io.tokengate.user.UserStore;
import io.tokengate.usage.PasswordGrantUsage;
import io.tokengate.usage.UsageRollups;
import io.tokengate.user.UsernameKeyStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.sqlclient.Pool;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** A running tokengate: start-up in dependency order, and shutdown in reverse. The wiring lives here only. */
public final class Gateway {

  private static final System.Logger LOG = System.getLogger(Gateway.class.getName());
  private static final String TOKEN_PATH = "/oauth2/token";
  /** Distinct jwks_uri values kept; more clients than this with their own URI refetch more often, nothing worse. */
  private static final int REMOTE_JWKS_ENTRIES = 10_000;

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
  private Promise<Void> stopped;

  /** Reads the signing keys in the database now (when they come from there); for tests that do not wait. */
  public Future<Void> reloadSigningKeys() {
    return keyReloader.map(DatabaseKeyReloader::reload).orElse(Future.succeededFuture());
  }

  private Gateway(Vertx vertx, List<Pool> pools, HashingPool hashingPool, RemoteJwks remoteJwks, Readiness readiness,
                  HttpServers.Deployed deployed, PrometheusMeterRegistry registry, List<Long> timers,
                  Duration shutdownDelay, PasswordGrantUsage passwordGrantUsage,
                  Optional<DatabaseKeyReloader> keyReloader) {
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
  }

  public static Future<Gateway> start(Config config, Clock clock) {
    warnOfDeprecatedKeys(config);
    // Files and parsing first, on the caller's thread: never on an event loop, and a mistake stops start-up.
    TrustedProxies trustedProxies = TrustedProxies.parse(config.http().trustedProxies());
    CertificateAuthorities authorities = config.clients().tlsCaFile()
      .map(file -> load(file)).orElse(CertificateAuthorities.none());
    int eventLoops = orCores(config.http().eventLoops());
    PrometheusMeterRegistry registry = MetricsRegistry.create();
    Vertx vertx = Vertx.builder()
      .with(new VertxOptions().setEventLoopPoolSize(eventLoops).setMetricsOptions(MetricsRegistry.vertxOptions()))
      .withMetrics(new MicrometerMetricsFactory(registry))
      .build();
    Pool pool = Database.pool(vertx, config.database(), eventLoops);
    Pool probePool = Database.probePool(vertx, config.database());
    Config.Hashing hashingConfig = config.hashing();
    HashingPool hashingPool = new HashingPool(vertx, orCores(hashingConfig.threads()), hashingConfig.queueSize(), registry);
    Argon2Hasher hasher = Argon2Hasher.of(config.hashing());
    PasswordHashing hashing = new PasswordHashing(hashingPool, hasher);
    Config.JwksUri jwksUri = config.clients().jwksUri();
    RemoteJwks remoteJwks = new RemoteJwks(vertx, new RemoteJwks.Settings(jwksUri.timeout(), jwksUri.maxBytes(),
      jwksUri.cacheTtl(), jwksUri.refetchInterval(), REMOTE_JWKS_ENTRIES), clock);

    Promise<Gateway> started = Promise.promise();
    // On the hashing pool while the database is reached and migrated: start-up waits for the slower of the two.
    Future<String> decoy = hashing.hash(unguessable());
    Database.ping(pool)
      .recover(failure -> Future.failedFuture(DatabaseUnavailableException.describe(config.database().url(), failure)))
      .compose(reachable -> config.database().migrateOnStart()
        ? Migrations.apply(vertx, pool).onSuccess(Gateway::logMigrations).mapEmpty()
        : requireCurrentSchema(vertx, pool))
      .compose(migrated -> new SealedRows(pool).requireKeysFor(config.keyring()))
      .compose(checked -> UsernameKeyStore.load(pool, config.users().usernameKey(), config.keyring()))
      .compose(usernames -> SigningKeyLoader.load(vertx, pool, config.tokens(), config.keyring(), clock).compose(keys -> decoy.compose(decoyHash -> {
        UserStore userStore = new UserStore(pool);
        UserAuthenticator users = new UserAuthenticator(userStore, hashing, decoyHash,
          new Lockout(pool, config.lockout(), clock, usernames), new SecondFactor(userStore,
            TotpSecretSealer.of(config.keyring()), clock), registry);
        AccessTokenIssuer issuer = new AccessTokenIssuer(config.issuer(), config.tokens().audience(), keys, clock);
        AccessTokenVerifier verifier = new AccessTokenVerifier(config.issuer(), keys, clock);
        AccessTokenRevocations revocations = new AccessTokenRevocations(pool);
        RefreshTokens refreshTokens = new RefreshTokens(pool, clock, config.tokens(), usernames);
        TokenLifecycleMetrics lifecycleMetrics = new TokenLifecycleMetrics(registry);
        Grants grants = Grants.all(users, issuer, refreshTokens, lifecycleMetrics, config, clock);
        PasswordGrantUsage passwordGrantUsage = new PasswordGrantUsage(new UsageRollups(pool),
          new PasswordGrantMetrics(registry), clock, config.passwordGrant().usageRetention());
        OneTimeIds oneTimeIds = new OneTimeIds(pool);
        ClientAuthenticator clients = ClientAuthenticator.create(config,
          new ClientCache(new ClientStore(pool), config.clients().cacheTtl()), hashing, remoteJwks, oneTimeIds,
          authorities, clock, new ClientAuthenticationMetrics(registry));
        SenderConstraints senderConstraints = new SenderConstraints(new DpopProofVerifier(clock,
          config.dpop().proofLifetime(), config.dpop().clockSkew()), oneTimeIds,
          config.endpointUrl(TOKEN_PATH));
        HttpServers.Services services = new HttpServers.Services(clients, SupportedClientAuth.of(config), grants,
          senderConstraints, new TokenIntrospector(verifier, revocations, refreshTokens, userStore, config.issuer()),
          new TokenRevoker(verifier, revocations, refreshTokens), keys,
          new TokenRequestMetrics(registry, grants.supported()), lifecycleMetrics, trustedProxies,
          new AuditLog(clock), passwordGrantUsage, usernames);
        Readiness readiness = new Readiness(probePool, config.database().url(), keys,
          config.tokens().jwksFile().isPresent() ? "file" : "database");
        List<Long> timers = new ArrayList<>();
        timers.add(new ExpiredTokenPurger(pool, clock, config.maintenance(), config.lockout(), registry)
          .schedule(vertx, config.maintenance()));
        timers.add(passwordGrantUsage.schedule(vertx, config.passwordGrant().usageFlushInterval()));
        Duration reload = config.tokens().jwksReloadInterval();
        config.tokens().jwksFile().filter(file -> !reload.isZero()).ifPresent(file -> timers.add(
          new JwksFileWatcher(file, config.tokens().signingAlgorithm(), keys, registry, clock)
            .schedule(vertx, reload.toMillis())));
        Optional<DatabaseKeyReloader> keyReloader = config.tokens().jwksFile().isPresent() ? Optional.empty()
          : Optional.of(new DatabaseKeyReloader(vertx, new DatabaseKeys(pool, config.keyring(), clock,
          config.tokens().accessTokenLifetime()), config.tokens().signingAlgorithm(), keys, registry));
        keyReloader.ifPresent(reloader -> timers.add(
          reloader.schedule(config.tokens().keysReloadInterval().toMillis())));
        return HttpServers.deploy(vertx, config, eventLoops, services, registry, readiness)
          .map(deployed -> {
            readiness.markStarted();
            logStarted(config, deployed.ports(), eventLoops, hashingPool, hasher.implementationName(), keys);
            return new Gateway(vertx, List.of(pool, probePool), hashingPool, remoteJwks, readiness, deployed, registry,
              timers, config.http().shutdownDelay(), passwordGrantUsage, keyReloader);
          });
      })))
      .onSuccess(started::complete)
      .onFailure(failure -> {
        // Fail at once: continuations on the Vert.x being closed would never run.
        started.fail(failure);
        vertx.close();
      });
    return started.future();
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

  private static CertificateAuthorities load(Path caFile) {
    try {
      return CertificateAuthorities.load(caFile);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid configuration: clients.tls_ca_file " + e.getMessage());
    }
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

  /** Without migrate_on_start, a schema behind this version would fail requests one by one: refuse to start. */
  private static Future<Void> requireCurrentSchema(Vertx vertx, Pool pool) {
    return Migrations.pending(vertx, pool).compose(pending -> pending.isEmpty() ? Future.<Void>succeededFuture()
      : Future.failedFuture(new ConfigException("the database schema lacks " + String.join(", ", pending)
        + ": run `tokengate migrate` (database.migrate_on_start is false)")));
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

  private static void logMigrations(List<String> applied) {
    if (!applied.isEmpty()) {
      LOG.log(System.Logger.Level.INFO, "applied migrations " + String.join(", ", applied));
    }
  }

  private static void logStarted(Config config, HttpServers.Ports ports, int eventLoops, HashingPool hashingPool,
                                 String hashingImplementation,
                                 SigningKeys keys) {
    Config.Hashing hashing = config.hashing();
    LOG.log(System.Logger.Level.INFO, String.format(
      "tokengate ready: public port %d, management port %d, issuer %s, %d event loops, hashing %d threads + queue %d "
        + "(Argon2id m=%d t=%d p=%d, %s), signing %s key %s",
      ports.publicPort(), ports.managementPort(), config.issuer(), eventLoops, hashingPool.threads(),
      hashing.queueSize(), hashing.argon2MemoryKib(), hashing.argon2Iterations(), hashing.argon2Parallelism(),
      hashingImplementation, keys.active().algorithm(), keys.active().kid()));
  }
}
