package io.tokengate.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import io.tokengate.config.ConfigException;
import io.tokengate.crypto.Keyring;
import io.tokengate.crypto.Purpose;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.tokengate.token.SigningKeyRecords.NewKey;
import io.tokengate.token.SigningKeyRecords.StoredKey;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Signing keys generated into the database and shared by every replica: the first replica to start generates one,
 * {@code keys rotate} adds the next (published at once, signing from a later time), and every load records the
 * take-over of a next key whose time has come. Private keys are sealed by the keyring when it has a key.
 */
public final class DatabaseKeys {

  private final SigningKeyRecords records;
  private final Keyring keyring;
  private final Clock clock;
  private final Duration accessTokenLifetime;

  /** @param accessTokenLifetime the configured default; a client's own lifetime counts when it is longer */
  public DatabaseKeys(SigningKeyRecords records, Keyring keyring, Clock clock, Duration accessTokenLifetime) {
    this.records = records;
    this.keyring = keyring;
    this.clock = clock;
    this.accessTokenLifetime = accessTokenLifetime;
  }

  /** The keys to sign and publish with now, generating the first key when there is none. */
  public Future<SigningKeys> load(Vertx vertx, JWSAlgorithm algorithm) {
    Instant now = clock.instant();
    return records.locked(keys -> keys.takeOver(now, accessTokenLifetime)
      .compose(taken -> keys.published(now, now.minus(KeyRecord.LEGACY_PUBLICATION)))
      .compose(stored -> {
        List<JWK> published = new ArrayList<>();
        List<ScheduledKey> signers = new ArrayList<>();
        for (StoredKey key : stored) {
          KeyRecord record = key.record();
          JWK jwk = parseKey(key);
          published.add(jwk);
          if (algorithm.getName().equals(record.algorithm()) && !"retired".equals(record.state())) {
            signers.add(new ScheduledKey(SigningKey.of(jwk, algorithm),
              "active".equals(record.state()) ? Instant.MIN : record.signsFrom().orElseThrow()));
          }
        }
        if (signers.stream().anyMatch(signer -> signer.from().equals(Instant.MIN))) {
          return Future.succeededFuture(new SigningKeys(signers, published, clock));
        }
        // No key of this algorithm signs yet (a new database, or a new tokens.signing_algorithm): the first one.
        return vertx.executeBlocking(() -> KeyGenerator.generate(algorithm), false)
          .compose(generated -> keys.insert(newKey(generated, algorithm, "active", Optional.empty())).map(inserted -> {
            published.add(0, generated);
            signers.add(ScheduledKey.now(SigningKey.of(generated, algorithm)));
            return new SigningKeys(signers, published, clock);
          }));
      }));
  }

  /**
   * Publishes {@code key} as the next key, signing from {@code delay} after now. Refused while another next key of
   * the algorithm is still waiting: rotating again would withdraw a key resource servers may already have cached
   * as the coming one.
   */
  public Future<KeyRecord> rotate(JWK key, JWSAlgorithm algorithm, Duration delay) {
    Instant now = clock.instant();
    Instant signsFrom = now.plus(delay);
    return records.locked(keys -> keys.takeOver(now, accessTokenLifetime)
      .compose(taken -> keys.current(algorithm.getName()))
      .compose(current -> {
        Optional<KeyRecord> waiting = current.stream().filter(record -> "next".equals(record.state())).findFirst();
        if (waiting.isPresent()) {
          return Future.failedFuture(new IllegalStateException("key " + waiting.get().kid() + " is already published "
            + "and signs from " + waiting.get().signsFrom().orElseThrow() + ": rotate again after that"));
        }
        // Without a key yet (no replica has started), the new key is simply the first one.
        boolean first = current.isEmpty();
        Optional<Instant> from = first ? Optional.empty() : Optional.of(signsFrom);
        return keys.insert(newKey(key, algorithm, first ? "active" : "next", from))
          .map(inserted -> new KeyRecord(key.getKeyID(), algorithm.getName(), first ? "active" : "next", now,
            from, Optional.empty(), Optional.empty()));
      }));
  }

  /** Every key in the database, oldest first, without key material. */
  public Future<List<KeyRecord>> list() {
    return records.list();
  }

  /** Sealed when the keyring has a key; otherwise plain, as earlier releases stored it. */
  private NewKey newKey(JWK key, JWSAlgorithm algorithm, String state, Optional<Instant> signsFrom) {
    boolean seal = keyring.hasKeys();
    return new NewKey(key.getKeyID(), algorithm.getName(), seal ? Optional.empty() : Optional.of(key.toJSONString()),
      seal ? Optional.of(keyring.seal(Purpose.SIGNING_KEY, key.getKeyID(), key.toJSONString().getBytes(UTF_8)))
        : Optional.empty(), state, signsFrom, clock.instant());
  }

  private JWK parseKey(StoredKey stored) {
    String kid = stored.record().kid();
    String text = stored.plainJwk().orElseGet(() -> keyring.open(Purpose.SIGNING_KEY, kid, stored.sealedJwk()
        .orElseThrow(() -> new IllegalStateException("signing key " + kid + " in the database has no key material")))
      .map(bytes -> new String(bytes, UTF_8))
      .orElseThrow(() -> new ConfigException("invalid configuration: secrets.sealing_keys has no key that opens "
        + "signing key " + kid + " in the database")));
    try {
      return JWK.parse(text);
    } catch (ParseException e) {
      throw new IllegalStateException("signing key " + kid + " in the database is not a JWK");
    }
  }
}
