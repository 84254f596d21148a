package io.tokengate.user;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Places of this replica's clean successes not yet given back, per username key: the next reservation of the
 * username gives them back in its own write, into the run of places they were taken in (a run that ended has
 * given them back already). Bounded in size: when full, places older than {@code staleAfter} are forgotten (each
 * stays counted until its username is quiet for the lease), and if that frees nothing, a place is not kept (the
 * caller then writes the success as before).
 */
final class PendingReleases {

  static final int MAX_KEYS = 10_000;

  /** How many places of one run, and when the latest was reserved. */
  private record Pending(LoginFailures.Released released, Instant reservedAt) {
  }

  private final Duration staleAfter;
  private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();

  PendingReleases(Duration staleAfter) {
    this.staleAfter = staleAfter;
  }

  /** @return false when the table is full of recent places: write the success instead */
  boolean keep(byte[] key, Optional<Instant> run, Instant reservedAt, Instant now) {
    if (run.isEmpty()) {
      return false;
    }
    if (pending.size() >= MAX_KEYS) {
      pending.values().removeIf(entry -> !entry.reservedAt().plus(staleAfter).isAfter(now));
      if (pending.size() >= MAX_KEYS) {
        return false;
      }
    }
    pending.merge(name(key), new Pending(new LoginFailures.Released(1, run), reservedAt), PendingReleases::add);
    return true;
  }

  /** Takes the places to give back with a reservation of {@code key}. */
  LoginFailures.Released take(byte[] key) {
    Pending taken = pending.remove(name(key));
    return taken == null ? LoginFailures.Released.NONE : taken.released();
  }

  /** The reservation took no place, or failed: its places were not given back. */
  void putBack(byte[] key, LoginFailures.Released places, Instant reservedAt) {
    if (places.count() > 0) {
      pending.merge(name(key), new Pending(places, reservedAt), PendingReleases::add);
    }
  }

  /** A username key and the places kept for it. */
  record Kept(byte[] key, LoginFailures.Released released) {
  }

  /** Empties the table: @return what it kept */
  List<Kept> drain() {
    List<Kept> kept = new ArrayList<>();
    for (String name : List.copyOf(pending.keySet())) {
      Pending taken = pending.remove(name);
      if (taken != null) {
        kept.add(new Kept(HexFormat.of().parseHex(name), taken.released()));
      }
    }
    return kept;
  }

  /** Places of two runs cannot be given back together: the later run's are kept, the earlier ones have lapsed. */
  private static Pending add(Pending a, Pending b) {
    Pending later = a.reservedAt().isAfter(b.reservedAt()) ? a : b;
    if (!a.released().run().equals(b.released().run())) {
      return later;
    }
    return new Pending(new LoginFailures.Released(a.released().count() + b.released().count(), a.released().run()),
      later.reservedAt());
  }

  private static String name(byte[] key) {
    return HexFormat.of().formatHex(key);
  }
}
