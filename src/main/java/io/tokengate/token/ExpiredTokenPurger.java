package io.tokengate.token;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokengate.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

import static io.tokengate.token.RefreshTokenValues.timestamp;

/**
 * Deletes expired refresh-token families, revoked access-token ids, used assertion and DPoP proof ids and login
 * failures that no longer count, in the background, in small batches so that no
 * statement holds many locks or runs long. Replicas may purge at the same time: SKIP LOCKED keeps them apart.
 */
public final class ExpiredTokenPurger {

  private static final System.Logger LOG = System.getLogger(ExpiredTokenPurger.class.getName());
  /** How long one run may keep deleting; a larger backlog carries over to the next run. */
  private static final long RUN_BUDGET_NANOS = Duration.ofSeconds(10).toNanos();

  /** A family's tokens go with it (ON DELETE CASCADE). */
  private static final String PURGE_REFRESH_TOKENS = """
      DELETE FROM refresh_token_families WHERE family_id IN (
        SELECT family_id FROM refresh_token_families WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)""";
  private static final String PURGE_REVOKED_JTIS = """
      DELETE FROM revoked_access_tokens WHERE jti IN (
        SELECT jti FROM revoked_access_tokens WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)""";

  /** Rows by physical address: these tables have two-column keys, and one statement shape serves both. */
  private static final String PURGE_USED_ASSERTION_IDS = """
      DELETE FROM client_assertion_jti WHERE ctid IN (
        SELECT ctid FROM client_assertion_jti WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)""";
  private static final String PURGE_USED_DPOP_PROOF_IDS = """
      DELETE FROM dpop_proof_jti WHERE ctid IN (
        SELECT ctid FROM dpop_proof_jti WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)""";
  /**
   * Failure counts that no longer count (no failure for lockout.reset_after, which outlasts any lock), and whose
   * attempts in flight ended as long ago (a row left by reservations alone has no failure).
   */
  private static final String PURGE_LOGIN_FAILURES = """
      DELETE FROM login_failures WHERE username_hash IN (
        SELECT username_hash FROM login_failures
        WHERE coalesce(last_failure_at, '-infinity') <= $1 AND coalesce(in_flight_until, '-infinity') <= $1
        LIMIT $2 FOR UPDATE SKIP LOCKED)""";

  /** A statement deleting a batch of rows older than a cutoff, and how the cutoff follows from now. */
  private record Purge(String statement, UnaryOperator<Instant> cutoff) {
  }

  private final Pool pool;
  private final Clock clock;
  private final int batchSize;
  private final List<Purge> purges;
  private final Counter purged;

  public ExpiredTokenPurger(Pool pool, Clock clock, Config.Maintenance config, Config.Lockout lockout,
                            MeterRegistry registry) {
    this.pool = pool;
    this.clock = clock;
    this.batchSize = config.purgeBatchSize();
    UnaryOperator<Instant> now = UnaryOperator.identity();
    this.purges = List.of(new Purge(PURGE_REFRESH_TOKENS, now), new Purge(PURGE_REVOKED_JTIS, now),
      new Purge(PURGE_USED_ASSERTION_IDS, now), new Purge(PURGE_USED_DPOP_PROOF_IDS, now),
      new Purge(PURGE_LOGIN_FAILURES, at -> at.minus(lockout.resetAfter())));
    this.purged = Counter.builder("tokengate.purged.rows")
      .description("Expired refresh-token families, revoked access-token ids and used assertion and proof ids deleted").register(registry);
  }

  /**
   * Runs every {@code interval} on a timer; a failed run (database away) is logged and tried again next time.
   *
   * @return the timer, for {@link Vertx#cancelTimer} at shutdown
   */
  public long schedule(Vertx vertx, Config.Maintenance config) {
    return vertx.setPeriodic(config.purgeInterval().toMillis(), timer -> purge()
      .onFailure(failure -> LOG.log(System.Logger.Level.WARNING, "purging expired tokens failed: " + failure)));
  }

  /**
   * Deletes batch after batch while they come back full, within a time budget per run.
   *
   * @return the rows deleted: refresh-token families (with their tokens), revoked access-token ids, used ids
   */
  public Future<Integer> purge() {
    long deadline = System.nanoTime() + RUN_BUDGET_NANOS;
    Future<Integer> total = Future.succeededFuture(0);
    Instant now = clock.instant();
    for (Purge purge : purges) {
      total = total.compose(sum -> purge(purge.statement(), purge.cutoff().apply(now), deadline, 0)
        .map(deleted -> sum + deleted));
    }
    return total.onSuccess(count -> purged.increment(count));
  }

  private Future<Integer> purge(String statement, Instant cutoff, long deadline, int deleted) {
    return pool.preparedQuery(statement).execute(Tuple.of(timestamp(cutoff), batchSize))
      .compose(rows -> {
        int total = deleted + rows.rowCount();
        return rows.rowCount() < batchSize || System.nanoTime() - deadline > 0
          ? Future.succeededFuture(total)
          : purge(statement, cutoff, deadline, total);
      });
  }
}
