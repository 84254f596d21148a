package io.tokengate.token;

import io.tokengate.crypto.Digests;
import com.nimbusds.jose.JWSAlgorithm;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Picks up a JWKS file replaced on disk (a Kubernetes Secret updated in place, for a key rotation) without a restart:
 * the file is read on a worker every interval, and when its content changed and it still holds a key that can sign,
 * the gateway signs and verifies with the new set from then on. A file that is unreadable or broken is logged and
 * ignored, and the keys in use stay: a bad edit must never take the token endpoint down.
 */
public final class JwksFileWatcher {

  private static final System.Logger LOG = System.getLogger(JwksFileWatcher.class.getName());

  private final Clock clock;
  private final Path file;
  private final JWSAlgorithm algorithm;
  private final SigningKeys keys;
  private final Counter reloaded;
  private final Counter rejected;
  private final AtomicBoolean reading = new AtomicBoolean();
  /** The content last looked at, so that an unchanged or already-rejected file is neither parsed nor logged again. */
  private volatile byte[] lastDigest;

  public JwksFileWatcher(Path file, String algorithm, SigningKeys keys, MeterRegistry registry) {
    this(file, algorithm, keys, registry, Clock.systemUTC());
  }

  public JwksFileWatcher(Path file, String algorithm, SigningKeys keys, MeterRegistry registry, Clock clock) {
    this.clock = clock;
    this.file = file;
    this.algorithm = JWSAlgorithm.parse(algorithm);
    this.keys = keys;
    this.reloaded = counter(registry, "reloaded");
    this.rejected = counter(registry, "rejected");
  }

  static Counter counter(MeterRegistry registry, String outcome) {
    return Counter.builder("tokengate.signing.keys.reloads")
      .description("Changes of the signing keys (JWKS file or database): taken over, or rejected and the keys in use kept")
      .tag("outcome", outcome)
      .register(registry);
  }

  /** @return the timer, for {@link Vertx#cancelTimer} at shutdown */
  public long schedule(Vertx vertx, long intervalMillis) {
    return vertx.setPeriodic(intervalMillis, timer -> {
      // One read at a time, even if a read outlasts the interval.
      if (reading.compareAndSet(false, true)) {
        vertx.executeBlocking(() -> {
          check();
          return null;
        }, false).onComplete(done -> reading.set(false));
      }
    });
  }

  /** Reads the file once; public for tests that do not want to wait for the timer. */
  public void check() {
    byte[] digest = digestOrNull();
    if (digest == null || Arrays.equals(digest, lastDigest)) {
      return;
    }
    lastDigest = digest;
    try {
      SigningKeys newer = SigningKeyLoader.fromFile(file, algorithm, clock);
      if (newer.sameAs(keys)) {
        return; // the file the gateway started with, or rewritten unchanged
      }
      keys.replaceWith(newer);
      reloaded.increment();
      LOG.log(System.Logger.Level.INFO, "signing keys reloaded from " + file + ": signing with key "
        + newer.active().kid());
    } catch (RuntimeException e) {
      rejected.increment();
      LOG.log(System.Logger.Level.WARNING, "the changed tokens.jwks_file was not taken over, the keys in use stay: "
        + e.getMessage());
    }
  }

  private byte[] digestOrNull() {
    try {
      return Digests.sha256(Files.readAllBytes(file));
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot read tokens.jwks_file " + file + ": " + e.getMessage());
      return null;
    }
  }
}
