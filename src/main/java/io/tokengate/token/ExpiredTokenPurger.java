package io.tokengate.token;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokengate.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Clock;

import static io.tokengate.token.RefreshTokenValues.timestamp;

/**
 * Deletes expired refresh tokens and revoked access-token ids in the background, in small batches so that no
 * statement holds many locks or runs long. Replicas may purge at the same time: SKIP LOCKED keeps them apart.
 */
public final class ExpiredTokenPurger {

  private static final System.Logger LOG = System.getLogger(ExpiredTokenPurger.class.getName());
  /** Batches per run at most, so that a large backlog is worked off over several runs rather than in one burst. */
  private static final int MAX_BATCHES = 20;

  private static final String PURGE_REFRESH_TOKENS = """
      DELETE FROM refresh_tokens WHERE token_hash IN (
        SELECT token_hash FROM refresh_tokens WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)""";
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
      .description("Expired refresh tokens and revoked access-token ids deleted").register(registry);
  }

  /** Runs every {@code interval} on a timer; a failed run (database away) is logged and tried again next time. */
  public long schedule(Vertx vertx, Config.Maintenance config) {
    return vertx.setPeriodic(config.purgeInterval().toMillis(), timer -> purge()
      .onFailure(failure -> LOG.log(System.Logger.Level.WARNING, "purging expired tokens failed: " + failure)));
  }

  /** @return the rows deleted */
  public Future<Integer> purge() {
    return purge(PURGE_REFRESH_TOKENS, 0, 0).compose(refresh -> purge(PURGE_REVOKED_JTIS, 0, 0).map(jtis -> refresh + jtis))
      .onSuccess(count -> purged.increment(count));
  }

  private Future<Integer> purge(String statement, int batches, int deleted) {
    return pool.preparedQuery(statement).execute(Tuple.of(timestamp(clock.instant()), batchSize))
      .compose(rows -> {
        int total = deleted + rows.rowCount();
        return rows.rowCount() < batchSize || batches + 1 >= MAX_BATCHES
          ? Future.succeededFuture(total)
          : purge(statement, batches + 1, total);
      });
  }
}
