package io.tokengate.token;

import com.nimbusds.jose.JWSAlgorithm;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Picks up changes of the signing keys in the database ({@code keys rotate}, a take-over recorded by another replica,
 * a retired key leaving the JWKS) every {@code tokens.keys_reload_interval}. A load that fails (the database away)
 * is logged and counted, and the keys in use stay.
 */
public final class DatabaseKeyReloader {

  private static final System.Logger LOG = System.getLogger(DatabaseKeyReloader.class.getName());

  private final Vertx vertx;
  private final DatabaseKeys database;
  private final JWSAlgorithm algorithm;
  private final SigningKeys keys;
  private final Counter reloaded;
  private final Counter rejected;
  private final AtomicBoolean loading = new AtomicBoolean();

  public DatabaseKeyReloader(Vertx vertx, DatabaseKeys database, String algorithm, SigningKeys keys,
                             MeterRegistry registry) {
    this.vertx = vertx;
    this.database = database;
    this.algorithm = JWSAlgorithm.parse(algorithm);
    this.keys = keys;
    this.reloaded = JwksFileWatcher.counter(registry, "reloaded");
    this.rejected = JwksFileWatcher.counter(registry, "rejected");
  }

  /** @return the timer, for {@link Vertx#cancelTimer} at shutdown */
  public long schedule(long intervalMillis) {
    return vertx.setPeriodic(intervalMillis, timer -> {
      // One load at a time, even if a load outlasts the interval.
      if (loading.compareAndSet(false, true)) {
        reload().onComplete(done -> loading.set(false));
      }
    });
  }

  /** Loads once and takes the keys over if they changed; never fails. Public for tests that do not wait for the timer. */
  public Future<Void> reload() {
    return database.load(vertx, algorithm)
      .map(newer -> {
        if (!newer.sameAs(keys)) {
          keys.replaceWith(newer);
          reloaded.increment();
          LOG.log(System.Logger.Level.INFO, "signing keys reloaded from the database: signing with key "
            + newer.active().kid() + (newer.scheduled().isEmpty() ? "" : ", next " + newer.scheduled()));
        }
        return (Void) null;
      })
      .recover(failure -> {
        rejected.increment();
        LOG.log(System.Logger.Level.WARNING, "signing keys not reloaded from the database, the keys in use stay: "
          + failure.getMessage());
        return Future.succeededFuture();
      });
  }
}
