package io.tokengate.usage;

import io.tokengate.client.Client;
import io.tokengate.grant.GrantTypes;
import io.tokengate.metrics.PasswordGrantMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts the password grants of each client that has the grant — successes, failures, the users who got a token —
 * per UTC day in memory, and adds the counts to the daily rows in PostgreSQL every flush interval: the token path
 * never waits for a write. A replica that stops adds what it counted on the way; one that dies loses what it counted
 * since its last flush. A failed flush (database away) keeps its counts for the next.
 */
public final class PasswordGrantUsage {

  private static final System.Logger LOG = System.getLogger(PasswordGrantUsage.class.getName());

  private final UsageRecords rollups;
  private final PasswordGrantMetrics metrics;
  private final Clock clock;
  private final Duration retention;
  /** Guarded by {@code this}: every event loop records, the flush takes the lot. */
  private Map<DailyTally.Key, DailyTally> tallies = new HashMap<>();
  private final AtomicBoolean flushing = new AtomicBoolean();

  public PasswordGrantUsage(UsageRecords rollups, PasswordGrantMetrics metrics, Clock clock, Duration retention) {
    this.rollups = rollups;
    this.metrics = metrics;
    this.clock = clock;
    this.retention = retention;
  }

  /**
   * A password grant that issued tokens to {@code userId}. Never throws: it runs before the answer is written.
   *
   * @param userId the token's subject, tokengate's own user id (a UUID)
   */
  public void issued(Client client, String userId) {
    if (client.mayUseGrant(GrantTypes.PASSWORD)) {
      metrics.record(client.clientId(), true);
      Instant now = clock.instant();
      Optional<UUID> user = asUuid(userId);
      synchronized (this) {
        tally(client.clientId(), now).success(user, now);
      }
    }
  }

  private static Optional<UUID> asUuid(String userId) {
    try {
      return Optional.of(UUID.fromString(userId));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A password grant the client authenticated for that failed, whatever the reason. */
  public void failed(Client client) {
    if (client.mayUseGrant(GrantTypes.PASSWORD)) {
      metrics.record(client.clientId(), false);
      Instant now = clock.instant();
      synchronized (this) {
        tally(client.clientId(), now).failure(now);
      }
    }
  }

  private DailyTally tally(String clientId, Instant now) {
    return tallies.computeIfAbsent(new DailyTally.Key(clientId, day(now)), key -> new DailyTally());
  }

  private static LocalDate day(Instant instant) {
    return LocalDate.ofInstant(instant, ZoneOffset.UTC);
  }

  /**
   * Flushes every {@code interval}; a flush still running when the next is due lets it pass.
   *
   * @return the timer, for {@link Vertx#cancelTimer}
   */
  public long schedule(Vertx vertx, Duration interval) {
    return vertx.setPeriodic(interval.toMillis(), timer -> {
      if (flushing.compareAndSet(false, true)) {
        flush().onComplete(done -> flushing.set(false));
      }
    });
  }

  /**
   * Adds what was counted since the last flush to the daily rows; then closes the days before yesterday (their
   * distinct users become a number) and deletes the days past retention. Fails, keeping the counts, when the
   * database does.
   */
  public Future<Void> flush() {
    SortedMap<DailyTally.Key, DailyTally> taken;
    synchronized (this) {
      taken = new TreeMap<>(tallies);
      tallies = new HashMap<>();
    }
    LocalDate today = day(clock.instant());
    return rollups.add(taken)
      .onFailure(failure -> putBack(taken))
      .compose(added -> rollups.closeDaysBefore(today.minusDays(1)))
      .compose(closed -> rollups.purgeBefore(today.minusDays(retention.toDays())))
      .onFailure(failure -> LOG.log(System.Logger.Level.WARNING, "flushing password-grant usage failed: " + failure))
      .mapEmpty();
  }

  private synchronized void putBack(Map<DailyTally.Key, DailyTally> taken) {
    taken.forEach((key, tally) -> tallies.merge(key, tally, (current, earlier) -> {
      current.add(earlier);
      return current;
    }));
  }
}
