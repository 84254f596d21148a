package io.tokengate.token;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokengate.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Deletes expired refresh-token families, revoked access-token ids, used assertion and DPoP proof ids and login
 * failures that no longer count, in the background, batch after batch ({@link ExpiredRows}) within a time budget
 * per run. Replicas may purge at the same time.
 */
public final class ExpiredTokenPurger {

  private static final System.Logger LOG = System.getLogger(ExpiredTokenPurger.class.getName());
  /** How long one run may keep deleting; a larger backlog carries over to the next run. */
  private static final long RUN_BUDGET_NANOS = Duration.ofSeconds(10).toNanos();

  /** A kind of row, and how its cutoff follows from now. */
  private record Purge(ExpiredRows.Kind kind, UnaryOperator<Instant> cutoff) {
  }

  private final ExpiredRows rows;
  private final Clock clock;
  private final int batchSize;
  private final List<Purge> purges;
  private final Counter purged;

  public ExpiredTokenPurger(ExpiredRows rows, Clock clock, Config.Maintenance config, Config.Lockout lockout,
                            MeterRegistry registry) {
    this.rows = rows;
    this.clock = clock;
    this.batchSize = config.purgeBatchSize();
    UnaryOperator<Instant> now = UnaryOperator.identity();
    // Failure counts no longer count after lockout.reset_after, which outlasts any lock.
    this.purges = List.of(new Purge(ExpiredRows.Kind.REFRESH_TOKEN_FAMILIES, now),
      new Purge(ExpiredRows.Kind.REVOKED_ACCESS_TOKENS, now), new Purge(ExpiredRows.Kind.USED_ASSERTION_IDS, now),
      new Purge(ExpiredRows.Kind.USED_PROOF_IDS, now),
      new Purge(ExpiredRows.Kind.LOGIN_FAILURES, at -> at.minus(lockout.resetAfter())));
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
      total = total.compose(sum -> purge(purge.kind(), purge.cutoff().apply(now), deadline, 0)
        .map(deleted -> sum + deleted));
    }
    return total.onSuccess(count -> purged.increment(count));
  }

  private Future<Integer> purge(ExpiredRows.Kind kind, Instant cutoff, long deadline, int deleted) {
    return rows.deleteBatch(kind, cutoff, batchSize)
      .compose(batch -> {
        int total = deleted + batch;
        return batch < batchSize || System.nanoTime() - deadline > 0
          ? Future.succeededFuture(total)
          : purge(kind, cutoff, deadline, total);
      });
  }
}
