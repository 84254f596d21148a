package io.tokengate.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import io.tokengate.config.ConfigException;
import io.tokengate.crypto.Keyring;
import io.tokengate.crypto.Purpose;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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

  /** "tg-keys!" in ASCII: the advisory lock under which keys are generated, rotated and taken over. */
  private static final long LOCK_KEY = 0x74672d6b65797321L;
  private static final String COLUMNS = "kid, algorithm, state, created_at, signs_from, retired_at, published_until";

  private final Pool pool;
  private final Keyring keyring;
  private final Clock clock;
  private final Duration accessTokenLifetime;

  /** @param accessTokenLifetime the configured default; a client's own lifetime counts when it is longer */
  public DatabaseKeys(Pool pool, Keyring keyring, Clock clock, Duration accessTokenLifetime) {
    this.pool = pool;
    this.keyring = keyring;
    this.clock = clock;
    this.accessTokenLifetime = accessTokenLifetime;
  }

  /** The keys to sign and publish with now, generating the first key when there is none. */
  public Future<SigningKeys> load(Vertx vertx, JWSAlgorithm algorithm) {
    Instant now = clock.instant();
    return pool.withTransaction(connection -> lock(connection)
      .compose(locked -> takeOver(connection, now))
      .compose(taken -> connection.preparedQuery("SELECT " + COLUMNS + ", private_jwk, private_jwk_sealed "
          + "FROM signing_keys WHERE state <> 'retired' OR published_until > $1 "
          + "OR (published_until IS NULL AND retired_at > $2) ORDER BY created_at DESC")
        .execute(Tuple.of(utc(now), utc(now.minus(KeyRecord.LEGACY_PUBLICATION)))))
      .compose(rows -> {
        List<KeyRecord> records = records(rows);
        List<JWK> published = new ArrayList<>();
        List<ScheduledKey> signers = new ArrayList<>();
        int index = 0;
        for (Row row : rows) {
          KeyRecord record = records.get(index++);
          JWK key = parseKey(row);
          published.add(key);
          if (algorithm.getName().equals(record.algorithm()) && !"retired".equals(record.state())) {
            signers.add(new ScheduledKey(SigningKey.of(key, algorithm),
              "active".equals(record.state()) ? Instant.MIN : record.signsFrom().orElseThrow()));
          }
        }
        if (signers.stream().anyMatch(signer -> signer.from().equals(Instant.MIN))) {
          return Future.succeededFuture(new SigningKeys(signers, published, clock));
        }
        // No key of this algorithm signs yet (a new database, or a new tokens.signing_algorithm): the first one.
        return vertx.executeBlocking(() -> KeyGenerator.generate(algorithm), false)
          .compose(generated -> insert(connection, generated, algorithm, "active", null).map(inserted -> {
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
    return pool.withTransaction(connection -> lock(connection)
      .compose(locked -> takeOver(connection, now))
      .compose(taken -> connection.preparedQuery("SELECT " + COLUMNS + " FROM signing_keys "
          + "WHERE algorithm = $1 AND state IN ('next', 'active')").execute(Tuple.of(algorithm.getName())))
      .compose(rows -> {
        List<KeyRecord> current = records(rows);
        Optional<KeyRecord> waiting = current.stream().filter(record -> "next".equals(record.state())).findFirst();
        if (waiting.isPresent()) {
          return Future.failedFuture(new IllegalStateException("key " + waiting.get().kid() + " is already published "
            + "and signs from " + waiting.get().signsFrom().orElseThrow() + ": rotate again after that"));
        }
        // Without a key yet (no replica has started), the new key is simply the first one.
        boolean first = current.isEmpty();
        return insert(connection, key, algorithm, first ? "active" : "next", first ? null : signsFrom)
          .map(inserted -> new KeyRecord(key.getKeyID(), algorithm.getName(), first ? "active" : "next", now,
            first ? Optional.empty() : Optional.of(signsFrom), Optional.empty(), Optional.empty()));
      }));
  }

  /** Every key in the database, oldest first, without key material. */
  public Future<List<KeyRecord>> list() {
    return pool.query("SELECT " + COLUMNS + " FROM signing_keys ORDER BY created_at, kid").execute()
      .map(DatabaseKeys::records);
  }

  private static Future<RowSet<Row>> lock(SqlConnection connection) {
    return connection.query("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")").execute();
  }

  /**
   * Records every take-over that is due: the active key retires at the next key's time and stays published until
   * the longest access token it could have signed has expired (the configured default or a client's own, whichever
   * is longer); then the next key becomes the active one. Two statements, in this order, for the one-active index.
   */
  private Future<Void> takeOver(SqlConnection connection, Instant now) {
    Tuple due = Tuple.of(utc(now), accessTokenLifetime.toSeconds());
    return connection.preparedQuery("UPDATE signing_keys old SET state = 'retired', retired_at = next.signs_from, "
        + "published_until = next.signs_from + make_interval(secs => greatest($2, "
        + "(SELECT coalesce(max(access_token_ttl_seconds), 0) FROM clients))) "
        + "FROM signing_keys next WHERE old.state = 'active' AND next.state = 'next' "
        + "AND next.algorithm = old.algorithm AND next.signs_from <= $1")
      .execute(due)
      .compose(retired -> connection.preparedQuery("UPDATE signing_keys SET state = 'active' "
        + "WHERE state = 'next' AND signs_from <= $1").execute(Tuple.of(utc(now))))
      .mapEmpty();
  }

  private Future<RowSet<Row>> insert(SqlConnection connection, JWK key, JWSAlgorithm algorithm, String state,
                                     Instant signsFrom) {
    boolean seal = keyring.hasKeys();
    return connection.preparedQuery("INSERT INTO signing_keys (kid, algorithm, private_jwk, private_jwk_sealed, "
        + "state, signs_from, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
      .execute(Tuple.of(key.getKeyID(), algorithm.getName(), seal ? null : key.toJSONString(), seal
          ? Buffer.buffer(keyring.seal(Purpose.SIGNING_KEY, key.getKeyID(), key.toJSONString().getBytes(UTF_8)))
          : null)
        .addString(state).addOffsetDateTime(signsFrom == null ? null : utc(signsFrom))
        .addOffsetDateTime(utc(clock.instant())));
  }

  private static List<KeyRecord> records(RowSet<Row> rows) {
    List<KeyRecord> records = new ArrayList<>();
    rows.forEach(row -> records.add(new KeyRecord(row.getString("kid"), row.getString("algorithm"),
      row.getString("state"), row.getOffsetDateTime("created_at").toInstant(), instant(row, "signs_from"),
      instant(row, "retired_at"), instant(row, "published_until"))));
    return records;
  }

  private JWK parseKey(Row row) {
    String kid = row.getString("kid");
    String text = row.getString("private_jwk");
    if (text == null) {
      text = keyring.open(Purpose.SIGNING_KEY, kid, row.getBuffer("private_jwk_sealed").getBytes())
        .map(bytes -> new String(bytes, UTF_8))
        .orElseThrow(() -> new ConfigException("invalid configuration: secrets.sealing_keys has no key that opens "
          + "signing key " + kid + " in the database"));
    }
    try {
      return JWK.parse(text);
    } catch (ParseException e) {
      throw new IllegalStateException("signing key " + kid + " in the database is not a JWK");
    }
  }

  private static Optional<Instant> instant(Row row, String column) {
    return Optional.ofNullable(row.getOffsetDateTime(column)).map(OffsetDateTime::toInstant);
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
