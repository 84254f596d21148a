package io.tokengate.user;

import io.tokengate.crypto.Digests;
import io.tokengate.config.Config;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Clock;
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
 */
public final class Lockout {

  /** What is known of a username's recent failures. */
  public record Attempts(int failures, Instant lastFailureAt, Optional<Instant> lockedUntil) {

    public boolean lockedAt(Instant now) {
      return lockedUntil.filter(now::isBefore).isPresent();
    }
  }

  /**
   * One statement, so that replicas failing the same username at once cannot lose a count: the new count restarts
   * at 1 after a quiet period, and from the threshold on the lock grows as base * 2^(count - threshold), capped.
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
          END
      RETURNING failures, last_failure_at, locked_until""";

  private final Pool pool;
  private final Config.Lockout policy;
  private final Clock clock;

  public Lockout(Pool pool, Config.Lockout policy, Clock clock) {
    this.pool = pool;
    this.policy = policy;
    this.clock = clock;
  }

  public boolean enabled() {
    return policy.threshold() > 0;
  }

  /** The key of a normalized username: its SHA-256 (PostgreSQL computes the same for a user's refresh tokens). */
  public static byte[] key(String normalizedUsername) {
    return Digests.sha256(normalizedUsername);
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
  Optional<Attempts> stillCounting(Optional<Attempts> stored) {
    return stored.filter(this::stillCounts);
  }

  public Future<Attempts> recordFailure(byte[] key) {
    if (!enabled()) {
      return Future.succeededFuture(new Attempts(0, now(), Optional.empty()));
    }
    return pool.preparedQuery(RECORD_FAILURE)
      .execute(Tuple.of(key, timestamp(now()), policy.threshold(), (double) policy.baseDelay().toSeconds(),
        (double) policy.maxDelay().toSeconds(), (double) policy.resetAfter().toSeconds()))
      .map(rows -> attempts(rows.iterator().next()));
  }

  /** A success starts the count again. */
  public Future<Void> recordSuccess(byte[] key) {
    return pool.preparedQuery("DELETE FROM login_failures WHERE username_hash = $1").execute(Tuple.of(key)).mapEmpty();
  }

  /** @return whether there was anything to forget (the operator's {@code user unlock}) */
  public Future<Boolean> unlock(String normalizedUsername) {
    return pool.preparedQuery("DELETE FROM login_failures WHERE username_hash = $1")
      .execute(Tuple.of(key(normalizedUsername)))
      .map(rows -> rows.rowCount() > 0);
  }

  private boolean stillCounts(Attempts attempts) {
    Instant now = now();
    return attempts.lockedAt(now) || attempts.lastFailureAt().plus(policy.resetAfter()).isAfter(now);
  }

  /** A row of login_failures ({@code failures, last_failure_at, locked_until}), also as joined by {@link UserStore}. */
  static Attempts attempts(Row row) {
    OffsetDateTime locked = row.getOffsetDateTime("locked_until");
    return new Attempts(row.getInteger("failures"), row.getOffsetDateTime("last_failure_at").toInstant(),
      Optional.ofNullable(locked).map(OffsetDateTime::toInstant));
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
