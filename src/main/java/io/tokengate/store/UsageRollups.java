package io.tokengate.store;

import io.tokengate.usage.DailyTally;
import io.tokengate.usage.UsageDay;
import io.tokengate.usage.UsageRecords;
import io.tokengate.usage.UsageTotal;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.UUID;

/**
 * The daily password-grant rows in PostgreSQL ({@code password_grant_usage}), which every replica adds its counts
 * to, and the users of the days still open ({@code password_grant_user_days}), which make the distinct-user count
 * exact across replicas: a user who logs in through two replicas is one key, inserted twice.
 */
public final class UsageRollups implements UsageRecords {

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

  /** A day still open counts the users inserted so far. */
  private static final String DAYS = """
      SELECT client_id, day, successes, failures, first_used_at, last_used_at,
             COALESCE(distinct_users, (SELECT count(*) FROM password_grant_user_days AS users
                                       WHERE users.client_id = usage.client_id AND users.day = usage.day)) AS users
      FROM password_grant_usage AS usage
      WHERE day >= $1 AND ($2::text IS NULL OR client_id = $2)
      ORDER BY client_id, day""";
  private static final String TOTALS = """
      SELECT client_id,
             COALESCE(sum(successes) FILTER (WHERE day >= $1), 0)::bigint AS successes,
             COALESCE(sum(failures) FILTER (WHERE day >= $1), 0)::bigint AS failures,
             max(last_used_at) AS last_used_at
      FROM password_grant_usage GROUP BY client_id""";

  private final Pool pool;

  public UsageRollups(Pool pool) {
    this.pool = pool;
  }

  /** Adds one flush of a replica's tallies, all or nothing, in key order. */
  @Override
  public Future<Void> add(SortedMap<DailyTally.Key, DailyTally> tallies) {
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
  @Override
  public Future<Integer> closeDaysBefore(LocalDate day) {
    return pool.withTransaction(connection -> connection.preparedQuery(CLOSE_DAYS).execute(Tuple.of(day))
      .compose(closed -> forget(connection, day).map(forgotten -> closed.rowCount())));
  }

  private static Future<Integer> forget(SqlConnection connection, LocalDate day) {
    return connection.preparedQuery(FORGET_USERS).execute(Tuple.of(day)).map(rows -> rows.rowCount());
  }

  /** The daily rows from {@code since} on, of one client or of all, by client and day. */
  @Override
  public Future<List<UsageDay>> days(Optional<String> clientId, LocalDate since) {
    return pool.preparedQuery(DAYS).execute(Tuple.of(since, clientId.orElse(null))).map(rows -> {
      List<UsageDay> days = new ArrayList<>();
      rows.forEach(row -> days.add(new UsageDay(row.getString("client_id"), row.getLocalDate("day"),
        row.getLong("successes"), row.getLong("failures"), row.getLong("users"),
        row.getOffsetDateTime("first_used_at").toInstant(), row.getOffsetDateTime("last_used_at").toInstant())));
      return days;
    });
  }

  /** Per client: its volume from {@code since} on, and its last use on any day kept. */
  @Override
  public Future<Map<String, UsageTotal>> totals(LocalDate since) {
    return pool.preparedQuery(TOTALS).execute(Tuple.of(since)).map(rows -> {
      Map<String, UsageTotal> totals = new HashMap<>();
      rows.forEach(row -> totals.put(row.getString("client_id"), new UsageTotal(row.getString("client_id"),
        row.getLong("successes"), row.getLong("failures"), row.getOffsetDateTime("last_used_at").toInstant())));
      return totals;
    });
  }

  /** Deletes the rows of days before {@code day}. */
  @Override
  public Future<Integer> purgeBefore(LocalDate day) {
    return pool.preparedQuery(PURGE).execute(Tuple.of(day)).map(rows -> rows.rowCount());
  }
}
