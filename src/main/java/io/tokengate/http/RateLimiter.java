package io.tokengate.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Token buckets by key (a source address, a client id), in this replica's memory: a key may spend {@code burst}
 * requests at once and earns {@code rate} back per second. The number of keys is bounded; when the table is full,
 * buckets that have refilled (idle keys) are dropped — at most once a second — and never one that is limiting. If
 * that is not enough, new keys share one overflow bucket with the same rate and burst: a flood of new keys (many
 * addresses) is limited as one key, never let through unlimited.
 */
final class RateLimiter {

  private static final class Bucket {
    private double tokens;
    private long updatedNanos;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.updatedNanos = now;
    }

    /** @return 0 when a token was taken, else the whole seconds until one will be there */
    synchronized long take(double rate, int burst, long now) {
      tokens = Math.min(burst, tokens + (now - updatedNanos) / 1e9 * rate);
      updatedNanos = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / rate);
    }

    synchronized boolean isFull(double rate, int burst, long now) {
      return tokens + (now - updatedNanos) / 1e9 * rate >= burst;
    }
  }

  /** A full table is swept at most this often: a flood of new keys must not scan it on every request. */
  private static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;

  private final int maxKeys;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final AtomicLong lastSweepNanos = new AtomicLong(System.nanoTime() - SWEEP_INTERVAL_NANOS);
  private final Bucket overflow = new Bucket(Double.MAX_VALUE, System.nanoTime());
  private final Counter evictions;
  private final Counter overflowed;

  /** @param limit what the metrics call this limiter: {@code address}, {@code client} */
  RateLimiter(int maxKeys, String limit, MeterRegistry registry) {
    this.maxKeys = maxKeys;
    this.evictions = Counter.builder("tokengate.rate.limiter.evictions")
      .description("Idle rate-limit buckets dropped because the table of keys was full")
      .tag("limit", limit).register(registry);
    this.overflowed = Counter.builder("tokengate.rate.limiter.overflow")
      .description("Requests of new keys counted in the shared overflow bucket because the table of keys was full")
      .tag("limit", limit).register(registry);
  }

  /** @return empty when the request may go ahead, else the seconds the key should wait (for Retry-After) */
  OptionalLong acquire(String key, double rate, int burst) {
    long now = System.nanoTime();
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      if (buckets.size() >= maxKeys) {
        long last = lastSweepNanos.get();
        if (now - last >= SWEEP_INTERVAL_NANOS && lastSweepNanos.compareAndSet(last, now)) {
          int before = buckets.size();
          buckets.values().removeIf(existing -> existing.isFull(rate, burst, now));
          evictions.increment(Math.max(0, before - buckets.size()));
        }
        if (buckets.size() >= maxKeys) {
          overflowed.increment();
          return waitFor(overflow.take(rate, burst, now));
        }
      }
      bucket = buckets.computeIfAbsent(key, ignored -> new Bucket(burst, now));
    }
    return waitFor(bucket.take(rate, burst, now));
  }

  private static OptionalLong waitFor(long wait) {
    return wait == 0 ? OptionalLong.empty() : OptionalLong.of(wait);
  }
}
