package io.tokengate.usage;

import io.vertx.core.Future;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Daily password-grant usage per client, shared by every replica: what {@link PasswordGrantUsage} flushes into and
 * the report reads. The PostgreSQL adapter is {@code store.UsageRollups}.
 */
public interface UsageRecords {

  /** Adds one replica's counts, written in key order so that replicas flushing at once lock rows in one order. */
  Future<Void> add(SortedMap<DailyTally.Key, DailyTally> tallies);

  /** Closes the days before {@code day}: their distinct users are counted into their rows and the users forgotten. */
  Future<Integer> closeDaysBefore(LocalDate day);

  /** Deletes the days before {@code day}. */
  Future<Integer> purgeBefore(LocalDate day);

  Future<List<UsageDay>> days(Optional<String> clientId, LocalDate since);

  Future<Map<String, UsageTotal>> totals(LocalDate since);
}
