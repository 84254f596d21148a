package io.tokengate.user;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Places of this replica's clean successes not yet given back, at most one per username key: the next reservation
 * of the username gives it back in its own write. A place kept longer than {@code maxAge} is forgotten instead: the lease
 * of the row gives it back once the username is quiet, and giving it back later could meet a row whose lease had
 * already lapsed and count another attempt's place as free. Bounded in size; beyond it, or with a place of the key
 * already kept, a place is not kept (the caller then writes the success as before).
 */
final class PendingReleases {

  static final int MAX_KEYS = 10_000;

  /** How many places, and when the oldest of them was reserved. */
  record Pending(int count, Instant since) {
    static final Pending NONE = new Pending(0, Instant.MAX);
  }

  private final Duration maxAge;
  private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();

  PendingReleases(Duration maxAge) {
    this.maxAge = maxAge;
  }

  /** @return false when a place of the key is kept already, or the table is full of recent ones: write instead */
  boolean keep(byte[] key, Instant reservedAt, Instant now) {
    if (pending.size() >= MAX_KEYS) {
      pending.values().removeIf(entry -> tooOld(entry, now));
      if (pending.size() >= MAX_KEYS) {
        return false;
      }
    }
    return pending.putIfAbsent(name(key), new Pending(1, reservedAt)) == null;
  }

  /** Takes the places to give back with a reservation of {@code key} (none when they are too old). */
  Pending take(byte[] key, Instant now) {
    Pending taken = pending.remove(name(key));
    return taken == null || tooOld(taken, now) ? Pending.NONE : taken;
  }

  /**
   * The reservation took no place, or failed: its place was not given back. Kept again unless another was kept
   * meanwhile; then it stays counted until the username's lease lapses (a place too many, never one too few).
   */
  void putBack(byte[] key, Pending places) {
    if (places.count() > 0) {
      pending.putIfAbsent(name(key), places);
    }
  }

  private boolean tooOld(Pending entry, Instant now) {
    return !entry.since().plus(maxAge).isAfter(now);
  }

  private static String name(byte[] key) {
    return HexFormat.of().formatHex(key);
  }
}
