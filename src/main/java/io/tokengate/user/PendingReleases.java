package io.tokengate.user;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Places of this replica's clean successes not yet given back, per username key: the next reservation of the
 * username gives them back in its own write. A place kept longer than {@code maxAge} is forgotten instead: the lease
 * of the row gives it back once the username is quiet, and giving it back later could meet a row whose lease had
 * already lapsed and count another attempt's place as free. Bounded in size; beyond it, places are not kept (the
 * caller then writes the success as before).
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

  /** @return false when the table is full of recent places: write the success instead */
  boolean keep(byte[] key, Instant reservedAt, Instant now) {
    if (pending.size() >= MAX_KEYS) {
      pending.values().removeIf(entry -> tooOld(entry, now));
      if (pending.size() >= MAX_KEYS) {
        return false;
      }
    }
    pending.merge(name(key), new Pending(1, reservedAt), PendingReleases::add);
    return true;
  }

  /** Takes the places to give back with a reservation of {@code key} (none when they are too old). */
  Pending take(byte[] key, Instant now) {
    Pending taken = pending.remove(name(key));
    return taken == null || tooOld(taken, now) ? Pending.NONE : taken;
  }

  /** The reservation took no place, or failed: its places were not given back. */
  void putBack(byte[] key, Pending places) {
    if (places.count() > 0) {
      pending.merge(name(key), places, PendingReleases::add);
    }
  }

  /** Empties the table: @return the keys of the places it kept, each as often as it kept one */
  List<byte[]> drain() {
    List<byte[]> keys = new ArrayList<>();
    for (String name : List.copyOf(pending.keySet())) {
      Pending taken = pending.remove(name);
      for (int i = 0; taken != null && i < taken.count(); i++) {
        keys.add(HexFormat.of().parseHex(name));
      }
    }
    return keys;
  }

  private boolean tooOld(Pending entry, Instant now) {
    return !entry.since().plus(maxAge).isAfter(now);
  }

  private static Pending add(Pending a, Pending b) {
    return new Pending(a.count() + b.count(), a.since().isBefore(b.since()) ? a.since() : b.since());
  }

  private static String name(byte[] key) {
    return HexFormat.of().formatHex(key);
  }
}
