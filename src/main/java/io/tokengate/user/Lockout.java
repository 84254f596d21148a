package io.tokengate.user;

import io.tokengate.config.Config;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Account lockout (RFC 6749 §4.3.2: protect the endpoint against brute force), per normalized username whether or
 * not it exists, in PostgreSQL so that every replica counts the same failures. After {@code threshold} consecutive
 * failures the username is locked for {@code base_delay}, doubling with each further failure up to
 * {@code max_delay}; a success, or no failure for {@code reset_after}, starts the count again. Attempts while locked
 * are refused without a hash and do not count: the lock ends when it says it does.
 * <p>
 * Each attempt {@linkplain #reserve reserves} its place before its hash, in one statement that every replica's
 * attempts serialize on: failures plus attempts in flight may not pass the threshold (after a lock, one attempt at
 * a time), so parallel guesses cannot outrun the count. The reservation is then settled as a failure, a success, or
 * released uncounted (the password was right but a code is missing, or the work failed for overload).
 */
public final class Lockout {

  /** What is known of a username's recent failures. */
  public record Attempts(int failures, Instant lastFailureAt, Optional<Instant> lockedUntil) {

    public boolean lockedAt(Instant now) {
      return lockedUntil.filter(now::isBefore).isPresent();
    }
  }

  /** Why an attempt got no place: the username is locked, or as many attempts as it may have are in flight. */
  public enum Refusal { LOCKED, ATTEMPTS_IN_FLIGHT }

  /** The place of one attempt in its username's count; settle it exactly once. */
  public final class Reservation {
    private final byte[] key;
    private final boolean held;

    private Reservation(byte[] key, boolean held) {
      this.key = key;
      this.held = held;
    }

    /** A wrong password (or code): counts, and may lock. */
    public Future<Attempts> failed() {
      return held ? recordFailure(key) : Future.succeededFuture(new Attempts(0, now(), Optional.empty()));
    }

    /** The one write of a clean success: the count starts again and the place is given back. */
    public Future<Void> succeeded() {
      return held ? settle(SUCCEED) : Future.succeededFuture();
    }

    /** Not an attempt after all (overload, a missing code after the right password): the place is given back. */
    public Future<Void> released() {
      return held ? settle(RELEASE) : Future.succeededFuture();
    }

    private Future<Void> settle(String statement) {
      return pool.preparedQuery(statement).execute(Tuple.of(key)).mapEmpty();
    }
  }

  /** A reservation, or why there is none. */
  public record Reserved(Optional<Reservation> reservation, Optional<Refusal> refusal) {
  }

  /**
   * How long a reserved place is held at most: longer than any attempt takes (hashing-queue wait + hash + queries),
   * so that only a replica that died mid-attempt leaves places behind, and then not for long.
   */
  static final Duration LEASE = Duration.ofSeconds(30);

  /**
   * One statement: a place is granted only when the username is not locked and its failures (those still counting)
   * plus its attempts in flight (those whose lease runs) are under the threshold — the row lock of the upsert makes
   * replicas take turns. {@code before} (the state the statement started from) only tells a lock from a full count.
   */
  private static final String RESERVE = """
      WITH before AS (SELECT locked_until FROM login_failures WHERE username_hash = $1),
      reserved AS (
        INSERT INTO login_failures AS lf (username_hash, failures, last_failure_at, locked_until, in_flight,
                                          in_flight_until)
        VALUES ($1, 0, NULL, NULL, 1, $2::timestamptz + make_interval(secs => $5::float8))
        ON CONFLICT (username_hash) DO UPDATE SET
          failures = CASE WHEN lf.last_failure_at > $2::timestamptz - make_interval(secs => $4::float8)
                          THEN lf.failures ELSE 0 END,
          last_failure_at = CASE WHEN lf.last_failure_at > $2::timestamptz - make_interval(secs => $4::float8)
                          THEN lf.last_failure_at END,
          in_flight = CASE WHEN lf.in_flight_until > $2::timestamptz THEN lf.in_flight ELSE 0 END + 1,
          in_flight_until = $2::timestamptz + make_interval(secs => $5::float8)
        WHERE NOT coalesce(lf.locked_until > $2::timestamptz, false)
          AND CASE WHEN lf.in_flight_until > $2::timestamptz THEN lf.in_flight ELSE 0 END < greatest(1, $3::integer
            - CASE WHEN lf.last_failure_at > $2::timestamptz - make_interval(secs => $4::float8)
                   THEN lf.failures ELSE 0 END)
        RETURNING 1)
      SELECT (SELECT count(*) FROM reserved) AS reserved, (SELECT locked_until FROM before) AS locked_until""";

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

  private final Pool pool;
  private final Config.Lockout policy;
  private final Clock clock;
  private final UsernameDigests usernames;

  public Lockout(Pool pool, Config.Lockout policy, Clock clock, UsernameDigests usernames) {
    this.pool = pool;
    this.policy = policy;
    this.clock = clock;
    this.usernames = usernames;
  }

  public boolean enabled() {
    return policy.threshold() > 0;
  }

  /**
   * The key of a normalized username: its HMAC under {@code users.username_key} (PostgreSQL computes the same for a
   * user's refresh tokens, through {@link UsernameDigests#sql}).
   */
  public byte[] key(String normalizedUsername) {
    return usernames.digest(normalizedUsername);
  }

  public Instant now() {
    return clock.instant();
  }

  /** @return the username's recent failures, empty when it has none that still count */
  public Future<Optional<Attempts>> attempts(byte[] key) {
    if (!enabled()) {
      return Future.succeededFuture(Optional.empty());
    }
    return pool.preparedQuery("SELECT failures, last_failure_at, locked_until FROM login_failures WHERE username_hash = $1")
      .execute(Tuple.of(key))
      .map(rows -> rows.size() == 0 ? Optional.<Attempts>empty() : Optional.of(attempts(rows.iterator().next())))
      .map(this::stillCounting);
  }

  /** @return the stored failures if they still count (a lock, or a failure within {@code reset_after}) */
  private Optional<Attempts> stillCounting(Optional<Attempts> stored) {
    return stored.filter(this::stillCounts);
  }

  /**
   * Reserves the place of one attempt before its hash; without a lockout, a place that costs nothing. A database
   * failure fails the future (the attempt is refused for the outage, and nothing counted).
   */
  public Future<Reserved> reserve(byte[] key) {
    if (!enabled()) {
      return Future.succeededFuture(new Reserved(Optional.of(new Reservation(key, false)), Optional.empty()));
    }
    Instant now = now();
    return pool.preparedQuery(RESERVE)
      .execute(Tuple.of(key, timestamp(now), policy.threshold(), (double) policy.resetAfter().toSeconds(),
        (double) LEASE.toSeconds()))
      .map(rows -> {
        Row row = rows.iterator().next();
        if (row.getLong("reserved") > 0) {
          return new Reserved(Optional.of(new Reservation(key, true)), Optional.empty());
        }
        OffsetDateTime locked = row.getOffsetDateTime("locked_until");
        return new Reserved(Optional.empty(), Optional.of(locked != null && locked.toInstant().isAfter(now)
          ? Refusal.LOCKED : Refusal.ATTEMPTS_IN_FLIGHT));
      });
  }

  private Future<Attempts> recordFailure(byte[] key) {
    return pool.preparedQuery(RECORD_FAILURE)
      .execute(Tuple.of(key, timestamp(now()), policy.threshold(), (double) policy.baseDelay().toSeconds(),
        (double) policy.maxDelay().toSeconds(), (double) policy.resetAfter().toSeconds()))
      .map(rows -> attempts(rows.iterator().next()));
  }

  /** @return whether there was anything to forget (the operator's {@code user unlock}) */
  public Future<Boolean> unlock(String normalizedUsername) {
    return pool.preparedQuery("DELETE FROM login_failures WHERE username_hash = $1")
      .execute(Tuple.of(key(normalizedUsername)))
      .map(rows -> rows.rowCount() > 0);
  }

  private boolean stillCounts(Attempts attempts) {
    Instant now = now();
    return attempts.lockedAt(now) || attempts.failures() > 0
      && attempts.lastFailureAt().plus(policy.resetAfter()).isAfter(now);
  }

  /** A row of login_failures ({@code failures, last_failure_at, locked_until}); a reservation alone has no failure. */
  private static Attempts attempts(Row row) {
    OffsetDateTime locked = row.getOffsetDateTime("locked_until");
    OffsetDateTime lastFailure = row.getOffsetDateTime("last_failure_at");
    return new Attempts(row.getInteger("failures"), lastFailure == null ? Instant.EPOCH : lastFailure.toInstant(),
      Optional.ofNullable(locked).map(OffsetDateTime::toInstant));
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
