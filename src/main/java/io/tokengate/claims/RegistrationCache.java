package io.tokengate.claims;

import io.vertx.core.Future;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The registrations, read again at most every {@code clients.cache_ttl} (like a client record), so that a change
 * made with the CLI reaches every replica within that time without a query per token request. A failed read is
 * not cached: the request fails (503) and the next one tries again.
 */
public final class RegistrationCache {

  private record Entry(Future<Registrations> registrations, Instant readAt) {
  }

  private final RegistrationRecords records;
  private final Duration ttl;
  private final Clock clock;
  private volatile Entry entry;

  public RegistrationCache(RegistrationRecords records, Duration ttl, Clock clock) {
    this.records = records;
    this.ttl = ttl;
    this.clock = clock;
  }

  public Future<Registrations> current() {
    Entry current = entry;
    Instant now = clock.instant();
    if (current != null && (!current.registrations().isComplete() || current.registrations().succeeded())
      && now.isBefore(current.readAt().plus(ttl))) {
      return current.registrations();
    }
    Future<Registrations> read = records.load();
    entry = new Entry(read, now);
    return read;
  }
}
