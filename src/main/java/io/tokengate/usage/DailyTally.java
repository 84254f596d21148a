package io.tokengate.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One replica's count of one client's password grants on one UTC day since its last flush. Not thread-safe: its
 * owner ({@link PasswordGrantUsage}) guards it.
 */
public final class DailyTally {

  /** A client and a UTC day: the key of a daily row. */
  public record Key(String clientId, LocalDate day) implements Comparable<Key> {

    /** The order rows are written in, so that replicas flushing at once lock them in the same order. */
    @Override
    public int compareTo(Key other) {
      int byClient = clientId.compareTo(other.clientId);
      return byClient != 0 ? byClient : day.compareTo(other.day);
    }
  }

  private long successes;
  private long failures;
  private Instant firstAt;
  private Instant lastAt;
  private final Set<UUID> users = new HashSet<>();

  /** @param user empty for a subject that is not one of tokengate's user ids (counted, not as a user) */
  void success(Optional<UUID> user, Instant at) {
    successes++;
    user.ifPresent(users::add);
    seen(at);
  }

  void failure(Instant at) {
    failures++;
    seen(at);
  }

  /** Adds another tally of the same key (one whose flush failed, so that it is tried again). */
  void add(DailyTally other) {
    successes += other.successes;
    failures += other.failures;
    users.addAll(other.users);
    seen(other.firstAt);
    seen(other.lastAt);
  }

  private void seen(Instant at) {
    if (firstAt == null || at.isBefore(firstAt)) {
      firstAt = at;
    }
    if (lastAt == null || at.isAfter(lastAt)) {
      lastAt = at;
    }
  }

  public long successes() {
    return successes;
  }

  public long failures() {
    return failures;
  }

  public Instant firstAt() {
    return firstAt;
  }

  public Instant lastAt() {
    return lastAt;
  }

  public Set<UUID> users() {
    return users;
  }
}
