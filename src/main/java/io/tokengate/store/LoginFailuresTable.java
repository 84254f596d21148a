package io.tokengate.store;

import io.tokengate.config.Config;
import io.tokengate.user.Lockout;
import io.tokengate.user.LoginFailures;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Lockout counts in PostgreSQL ({@code login_failures}, keyed by the username's HMAC). Every change is one statement
 * whose row lock makes replicas counting one username take turns.
 */
public final class LoginFailuresTable implements LoginFailures {

  /**
   * One statement: a place is granted only when the username is not locked and its failures (those still counting)
   * plus its attempts in flight (those whose lease runs) are under the threshold — the row lock of the upsert makes
   * replicas take turns. {@code before} (the state the statement started from) only tells a lock from a full count.
   * {@code $6} places of earlier successes are given back in the same write, only into the run of places they were
   * taken in ({@code $7}, the run's {@code in_flight_since}): a lapsed lease has already given them back.
   */
  private static final String RESERVE = """
      WITH before AS (SELECT locked_until FROM login_failures WHERE username_hash = $1),
      reserved AS (
        INSERT INTO login_failures AS lf (username_hash, failures, last_failure_at, locked_until, in_flight,
                                          in_flight_until, in_flight_since)
        VALUES ($1, 0, NULL, NULL, 1, $2::timestamptz + make_interval(secs => $5::float8), $2::timestamptz)
        ON CONFLICT (username_hash) DO UPDATE SET
          failures = CASE WHEN lf.last_failure_at > $2::timestamptz - make_interval(secs => $4::float8)
                          THEN lf.failures ELSE 0 END,
          last_failure_at = CASE WHEN lf.last_failure_at > $2::timestamptz - make_interval(secs => $4::float8)
                          THEN lf.last_failure_at END,
          in_flight = greatest(CASE WHEN lf.in_flight_until > $2::timestamptz THEN lf.in_flight ELSE 0 END
            - CASE WHEN lf.in_flight_until > $2::timestamptz AND lf.in_flight_since = $7::timestamptz
                   THEN $6::integer ELSE 0 END, 0) + 1,
          in_flight_since = CASE WHEN lf.in_flight_until > $2::timestamptz AND lf.in_flight_since IS NOT NULL
                                 THEN lf.in_flight_since ELSE $2::timestamptz END,
          in_flight_until = $2::timestamptz + make_interval(secs => $5::float8)
        WHERE NOT coalesce(lf.locked_until > $2::timestamptz, false)
          AND greatest(CASE WHEN lf.in_flight_until > $2::timestamptz THEN lf.in_flight ELSE 0 END
            - CASE WHEN lf.in_flight_until > $2::timestamptz AND lf.in_flight_since = $7::timestamptz
                   THEN $6::integer ELSE 0 END, 0)
            < greatest(1, $3::integer
            - CASE WHEN lf.last_failure_at > $2::timestamptz - make_interval(secs => $4::float8)
                   THEN lf.failures ELSE 0 END)
        RETURNING lf.failures, lf.in_flight, lf.in_flight_since)
      SELECT (SELECT count(*) FROM reserved) AS reserved, (SELECT locked_until FROM before) AS locked_until,
             coalesce((SELECT failures FROM reserved), 0) AS failures,
             coalesce((SELECT in_flight FROM reserved), 0) AS in_flight,
             (SELECT in_flight_since FROM reserved) AS in_flight_since""";

  /**
   * One statement, so that replicas failing the same username at once cannot lose a count: the new count restarts
   * at 1 after a quiet period, and from the threshold on the lock grows as base * 2^(count - threshold), capped.
   * The attempt's place in flight is given back.
   */
  private static final String RECORD_FAILURE = """
      INSERT INTO login_failures AS lf (username_hash, failures, last_failure_at, locked_until)
      VALUES ($1, 1, $2::timestamptz, CASE WHEN 1 >= $3::integer
        THEN $2::timestamptz + make_interval(secs => least($4::float8, $5::float8)) END)
      ON CONFLICT (username_hash) DO UPDATE SET
        failures = CASE WHEN lf.last_failure_at <= $2::timestamptz - make_interval(secs => $6::float8) THEN 1
                        ELSE lf.failures + 1 END,
        last_failure_at = $2::timestamptz,
        locked_until = CASE
          WHEN (CASE WHEN lf.last_failure_at <= $2::timestamptz - make_interval(secs => $6::float8) THEN 1
                     ELSE lf.failures + 1 END) >= $3::integer
          THEN $2::timestamptz + make_interval(secs => least($4::float8 * power(2, (CASE
            WHEN lf.last_failure_at <= $2::timestamptz - make_interval(secs => $6::float8) THEN 1
            ELSE lf.failures + 1 END) - $3::integer), $5::float8))
          END,
        in_flight = greatest(lf.in_flight - 1, 0)
      RETURNING failures, last_failure_at, locked_until""";

  private static final String SUCCEED = """
      UPDATE login_failures SET failures = 0, last_failure_at = NULL, locked_until = NULL,
        in_flight = greatest(in_flight - 1, 0)
      WHERE username_hash = $1""";

  private static final String RELEASE = """
      UPDATE login_failures SET in_flight = greatest(in_flight - 1, 0) WHERE username_hash = $1""";

  private static final String RELEASE_KEPT = """
      UPDATE login_failures SET in_flight = greatest(in_flight - $2::integer, 0)
      WHERE username_hash = $1 AND in_flight_since = $3::timestamptz AND in_flight_until > $4::timestamptz""";

  private final Pool pool;

  public LoginFailuresTable(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Placement> reserve(byte[] key, Instant now, int threshold, Duration resetAfter, Duration lease,
                                   Released released) {
    return pool.preparedQuery(RESERVE)
      .execute(Tuple.of(key, timestamp(now), threshold, (double) resetAfter.toSeconds(), (double) lease.toSeconds(),
        released.count()).addOffsetDateTime(released.run().map(LoginFailuresTable::timestamp).orElse(null)))
      .map(rows -> {
        Row row = rows.iterator().next();
        return new Placement(row.getLong("reserved") > 0,
          Optional.ofNullable(row.getOffsetDateTime("locked_until")).map(OffsetDateTime::toInstant),
          row.getInteger("failures"), row.getInteger("in_flight"),
          Optional.ofNullable(row.getOffsetDateTime("in_flight_since")).map(OffsetDateTime::toInstant));
      });
  }

  @Override
  public Future<Lockout.Attempts> recordFailure(byte[] key, Instant now, Config.Lockout policy) {
    return pool.preparedQuery(RECORD_FAILURE)
      .execute(Tuple.of(key, timestamp(now), policy.threshold(), (double) policy.baseDelay().toSeconds(),
        (double) policy.maxDelay().toSeconds(), (double) policy.resetAfter().toSeconds()))
      .map(rows -> attempts(rows.iterator().next()));
  }

  @Override
  public Future<Void> recordSuccess(byte[] key) {
    return pool.preparedQuery(SUCCEED).execute(Tuple.of(key)).mapEmpty();
  }

  @Override
  public Future<Void> release(byte[] key) {
    return pool.preparedQuery(RELEASE).execute(Tuple.of(key)).mapEmpty();
  }

  @Override
  public Future<Void> release(byte[] key, Released released, Instant now) {
    if (released.count() == 0 || released.run().isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(RELEASE_KEPT)
      .execute(Tuple.of(key, released.count(), timestamp(released.run().get()), timestamp(now)))
      .mapEmpty();
  }

  @Override
  public Future<Optional<Lockout.Attempts>> find(byte[] key) {
    return pool.preparedQuery("SELECT failures, last_failure_at, locked_until FROM login_failures WHERE username_hash = $1")
      .execute(Tuple.of(key))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(attempts(rows.iterator().next())));
  }

  @Override
  public Future<Boolean> forget(byte[] key) {
    return pool.preparedQuery("DELETE FROM login_failures WHERE username_hash = $1")
      .execute(Tuple.of(key))
      .map(rows -> rows.rowCount() > 0);
  }

  /** A row of login_failures ({@code failures, last_failure_at, locked_until}); a reservation alone has no failure. */
  private static Lockout.Attempts attempts(Row row) {
    OffsetDateTime locked = row.getOffsetDateTime("locked_until");
    OffsetDateTime lastFailure = row.getOffsetDateTime("last_failure_at");
    return new Lockout.Attempts(row.getInteger("failures"),
      lastFailure == null ? Instant.EPOCH : lastFailure.toInstant(),
      Optional.ofNullable(locked).map(OffsetDateTime::toInstant));
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
