package io.tokengate.store;

import io.tokengate.token.KeyRecord;
import io.tokengate.token.SigningKeyRecords;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Signing keys in PostgreSQL ({@code signing_keys}), changed under one transaction-scoped advisory lock. */
public final class SigningKeysTable implements SigningKeyRecords {

  /** "tg-keys!" in ASCII: the advisory lock under which keys are generated, rotated and taken over. */
  private static final long LOCK_KEY = 0x74672d6b65797321L;
  private static final String COLUMNS = "kid, algorithm, state, created_at, signs_from, retired_at, published_until";

  /** Two statements, in this order, for the one-active index. */
  private static final String RETIRE_DUE = "UPDATE signing_keys old SET state = 'retired', "
    + "retired_at = next.signs_from, published_until = next.signs_from + make_interval(secs => greatest($2, "
    + "(SELECT coalesce(max(access_token_ttl_seconds), 0) FROM clients))) "
    + "FROM signing_keys next WHERE old.state = 'active' AND next.state = 'next' "
    + "AND next.algorithm = old.algorithm AND next.signs_from <= $1";
  private static final String ACTIVATE_DUE = "UPDATE signing_keys SET state = 'active' "
    + "WHERE state = 'next' AND signs_from <= $1";
  private static final String PUBLISHED = "SELECT " + COLUMNS + ", private_jwk, private_jwk_sealed "
    + "FROM signing_keys WHERE state <> 'retired' OR published_until > $1 "
    + "OR (published_until IS NULL AND retired_at > $2) ORDER BY created_at DESC";
  private static final String CURRENT = "SELECT " + COLUMNS + " FROM signing_keys "
    + "WHERE algorithm = $1 AND state IN ('next', 'active')";
  private static final String INSERT = "INSERT INTO signing_keys (kid, algorithm, private_jwk, private_jwk_sealed, "
    + "state, signs_from, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";

  private final Pool pool;

  public SigningKeysTable(Pool pool) {
    this.pool = pool;
  }

  @Override
  public <T> Future<T> locked(Function<Locked, Future<T>> work) {
    return pool.withTransaction(connection -> connection.query("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")")
      .execute()
      .compose(lock -> work.apply(new LockedKeys(connection))));
  }

  @Override
  public Future<List<KeyRecord>> list() {
    return pool.query("SELECT " + COLUMNS + " FROM signing_keys ORDER BY created_at, kid").execute()
      .map(SigningKeysTable::records);
  }

  private record LockedKeys(SqlConnection connection) implements Locked {

    @Override
    public Future<Void> takeOver(Instant now, Duration accessTokenLifetime) {
      return connection.preparedQuery(RETIRE_DUE).execute(Tuple.of(utc(now), accessTokenLifetime.toSeconds()))
        .compose(retired -> connection.preparedQuery(ACTIVATE_DUE).execute(Tuple.of(utc(now))))
        .mapEmpty();
    }

    @Override
    public Future<List<StoredKey>> published(Instant now, Instant legacyRetiredAfter) {
      return connection.preparedQuery(PUBLISHED).execute(Tuple.of(utc(now), utc(legacyRetiredAfter)))
        .map(rows -> {
          List<StoredKey> keys = new ArrayList<>();
          rows.forEach(row -> keys.add(new StoredKey(record(row), Optional.ofNullable(row.getString("private_jwk")),
            Optional.ofNullable(row.getBuffer("private_jwk_sealed")).map(Buffer::getBytes))));
          return keys;
        });
    }

    @Override
    public Future<List<KeyRecord>> current(String algorithm) {
      return connection.preparedQuery(CURRENT).execute(Tuple.of(algorithm)).map(SigningKeysTable::records);
    }

    @Override
    public Future<Void> insert(NewKey key) {
      return connection.preparedQuery(INSERT)
        .execute(Tuple.of(key.kid(), key.algorithm(), key.plainJwk().orElse(null),
            key.sealedJwk().map(Buffer::buffer).orElse(null))
          .addString(key.state()).addOffsetDateTime(key.signsFrom().map(SigningKeysTable::utc).orElse(null))
          .addOffsetDateTime(utc(key.createdAt())))
        .mapEmpty();
    }
  }

  private static List<KeyRecord> records(RowSet<Row> rows) {
    List<KeyRecord> records = new ArrayList<>();
    rows.forEach(row -> records.add(record(row)));
    return records;
  }

  private static KeyRecord record(Row row) {
    return new KeyRecord(row.getString("kid"), row.getString("algorithm"), row.getString("state"),
      row.getOffsetDateTime("created_at").toInstant(), instant(row, "signs_from"), instant(row, "retired_at"),
      instant(row, "published_until"));
  }

  private static Optional<Instant> instant(Row row, String column) {
    return Optional.ofNullable(row.getOffsetDateTime(column)).map(OffsetDateTime::toInstant);
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
