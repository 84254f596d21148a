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

import static io.tokengate.token.RefreshTokenValues.timestamp;

/**
 * Deletes expired refresh-token families and revoked access-token ids in the background, in small batches so that no
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

  private final Pool pool;
  private final Clock clock;
  private final int batchSize;
  private final Counter purged;

  public ExpiredTokenPurger(Pool pool, Clock clock, Config.Maintenance config, MeterRegistry registry) {
    this.pool = pool;
    this.clock = clock;
    this.batchSize = config.purgeBatchSize();
    this.purged = Counter.builder("tokengate.purged.rows")
      .description("Expired refresh-token families and revoked access-token ids deleted").register(registry);
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
   * @return the rows deleted: refresh-token families (with their tokens) and revoked access-token ids
   */
  public Future<Integer> purge() {
    long deadline = System.nanoTime() + RUN_BUDGET_NANOS;
    return purge(PURGE_REFRESH_TOKENS, deadline, 0)
      .compose(families -> purge(PURGE_REVOKED_JTIS, deadline, 0).map(jtis -> families + jtis))
      .onSuccess(count -> purged.increment(count));
  }

  private Future<Integer> purge(String statement, long deadline, int deleted) {
    return pool.preparedQuery(statement).execute(Tuple.of(timestamp(clock.instant()), batchSize))
      .compose(rows -> {
        int total = deleted + rows.rowCount();
        return rows.rowCount() < batchSize || System.nanoTime() - deadline > 0
          ? Future.succeededFuture(total)
          : purge(statement, deadline, total);
      });
  }
}
