package io.tokengate.usage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.UUID;

/**
 * The daily password-grant rows in PostgreSQL ({@code password_grant_usage}), which every replica adds its counts
 * to, and the users of the days still open ({@code password_grant_user_days}), which make the distinct-user count
 * exact across replicas: a user who logs in through two replicas is one key, inserted twice.
 */
public final class UsageRollups {

  private static final String ADD_COUNTS = """
      INSERT INTO password_grant_usage AS usage (client_id, day, successes, failures, first_used_at, last_used_at)
      VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (client_id, day) DO UPDATE SET
        successes = usage.successes + excluded.successes,
        failures = usage.failures + excluded.failures,
        first_used_at = LEAST(usage.first_used_at, excluded.first_used_at),
        last_used_at = GREATEST(usage.last_used_at, excluded.last_used_at)""";
  /** Users of a day already closed (a replica a day late) are not added: that day's count is final. */
  private static final String ADD_USERS = """
      INSERT INTO password_grant_user_days (client_id, day, user_id)
      SELECT $1, $2, unnest($3::uuid[])
      WHERE NOT EXISTS (SELECT 1 FROM password_grant_usage
                        WHERE client_id = $1 AND day = $2 AND distinct_users IS NOT NULL)
      ON CONFLICT DO NOTHING""";
  /** Replicas closing at once: the second waits for the first's row locks, then finds nothing left to close. */
  private static final String CLOSE_DAYS = """
      UPDATE password_grant_usage AS usage SET distinct_users = (
        SELECT count(*) FROM password_grant_user_days AS users
        WHERE users.client_id = usage.client_id AND users.day = usage.day)
      WHERE day < $1 AND distinct_users IS NULL""";
  private static final String FORGET_USERS = "DELETE FROM password_grant_user_days WHERE day < $1";
  private static final String PURGE = "DELETE FROM password_grant_usage WHERE day < $1";

  private final Pool pool;

  public UsageRollups(Pool pool) {
    this.pool = pool;
  }

  /** Adds one flush of a replica's tallies, all or nothing, in key order. */
  Future<Void> add(SortedMap<DailyTally.Key, DailyTally> tallies) {
    if (tallies.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> counts = new ArrayList<>();
    List<Tuple> users = new ArrayList<>();
    for (Map.Entry<DailyTally.Key, DailyTally> entry : tallies.entrySet()) {
      DailyTally.Key key = entry.getKey();
      DailyTally tally = entry.getValue();
      counts.add(Tuple.of(key.clientId(), key.day(), tally.successes(), tally.failures(),
        OffsetDateTime.ofInstant(tally.firstAt(), ZoneOffset.UTC), OffsetDateTime.ofInstant(tally.lastAt(),
          ZoneOffset.UTC)));
      if (!tally.users().isEmpty()) {
        users.add(Tuple.of(key.clientId(), key.day(), tally.users().toArray(UUID[]::new)));
      }
    }
    return pool.withTransaction(connection -> connection.preparedQuery(ADD_COUNTS).executeBatch(counts)
      .compose(added -> users.isEmpty() ? Future.succeededFuture()
        : connection.preparedQuery(ADD_USERS).executeBatch(users))
      .mapEmpty());
  }

  /**
   * Closes the days before {@code day}: their distinct users are counted into their rows and the users forgotten.
   *
   * @return the rows closed
   */
  Future<Integer> closeDaysBefore(LocalDate day) {
    return pool.withTransaction(connection -> connection.preparedQuery(CLOSE_DAYS).execute(Tuple.of(day))
      .compose(closed -> forget(connection, day).map(forgotten -> closed.rowCount())));
  }

  private static Future<Integer> forget(SqlConnection connection, LocalDate day) {
    return connection.preparedQuery(FORGET_USERS).execute(Tuple.of(day)).map(rows -> rows.rowCount());
  }

  /** Deletes the rows of days before {@code day}. */
  Future<Integer> purgeBefore(LocalDate day) {
    return pool.preparedQuery(PURGE).execute(Tuple.of(day)).map(rows -> rows.rowCount());
  }
}
