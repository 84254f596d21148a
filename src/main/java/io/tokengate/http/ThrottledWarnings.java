package io.tokengate.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Warnings of which one per kind and interval is enough: during a database outage every request fails the same
 * way, and a line per request would bury the log (and the disk) at the very moment someone reads it. The first of a
 * kind is logged at once; the rest of that interval are counted and the count goes with the next line.
 */
final class ThrottledWarnings {

  private static final System.Logger LOG = System.getLogger(ErrorResponder.class.getName());

  private record Kind(AtomicLong nextAtNanos, AtomicLong suppressed) {
  }

  private final long intervalNanos;
  private final ConcurrentMap<String, Kind> kinds = new ConcurrentHashMap<>();

  ThrottledWarnings(long intervalNanos) {
    this.intervalNanos = intervalNanos;
  }

  /** @param kind a bounded key (an error code and an exception class), never a value from a request */
  void warn(String kind, String message) {
    Kind state = kinds.computeIfAbsent(kind, key -> new Kind(new AtomicLong(System.nanoTime()), new AtomicLong()));
    long now = System.nanoTime();
    long next = state.nextAtNanos().get();
    if (now - next >= 0 && state.nextAtNanos().compareAndSet(next, now + intervalNanos)) {
      long suppressed = state.suppressed().getAndSet(0);
      LOG.log(System.Logger.Level.WARNING, message
        + (suppressed > 0 ? " (and " + suppressed + " more like it since the last such line)" : ""));
    } else {
      state.suppressed().incrementAndGet();
    }
  }
}
