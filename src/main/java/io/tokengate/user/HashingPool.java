package io.tokengate.user;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tokengate.metrics.MetricsRegistry;
import io.tokengate.oauth.OAuthException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one place password hashes are computed: a worker pool with a thread per core and a bounded queue. When the
 * queue is full the work is refused at once with 503 + Retry-After, so that overload costs the client a retry
 * rather than every client a growing wait.
 */
public final class HashingPool {

  private final WorkerExecutor executor;
  private final int threads;
  private final int capacity;
  private final AtomicInteger pending = new AtomicInteger();
  private final Counter rejections;
  private final Timer waitTime;
  private final Timer hashTime;

  public HashingPool(Vertx vertx, int threads, int queueSize, MeterRegistry registry) {
    this.threads = threads;
    this.capacity = threads + queueSize;
    this.executor = vertx.createSharedWorkerExecutor("tokengate-hashing", threads, 30, TimeUnit.SECONDS);
    Gauge.builder("tokengate.hashing.queue.depth", () -> Math.max(0, pending.get() - threads))
      .description("Password hashes waiting for a hashing thread (a password grant waits from before its user lookup)")
      .register(registry);
    Gauge.builder("tokengate.hashing.active", () -> Math.min(pending.get(), threads))
      .description("Password hashes being computed").register(registry);
    Gauge.builder("tokengate.hashing.threads", () -> threads)
      .description("Threads of the hashing pool").register(registry);
    Gauge.builder("tokengate.hashing.queue.capacity", () -> queueSize)
      .description("Hashes that may wait before requests are refused").register(registry);
    this.rejections = Counter.builder("tokengate.hashing.rejections")
      .description("Hashes refused because the queue was full (answered 503)").register(registry);
    this.waitTime = Timer.builder("tokengate.hashing.wait")
      .description("Time a hash waited for a hashing thread")
      .serviceLevelObjectives(MetricsRegistry.latencyBuckets()).register(registry);
    this.hashTime = Timer.builder("tokengate.hashing.duration")
      .description("Time to compute one password hash")
      .serviceLevelObjectives(MetricsRegistry.latencyBuckets()).register(registry);
  }

  public int threads() {
    return threads;
  }

  /**
   * A place in the pool, taken before the work is known — a password grant takes it before looking the user up, so
   * that a request the pool would refuse costs no database query. Released when its work finishes, or by
   * {@link #release()} when there turns out to be none (idempotent).
   */
  public final class Slot {
    private final AtomicBoolean held = new AtomicBoolean(true);

    public void release() {
      if (held.compareAndSet(true, false)) {
        pending.decrementAndGet();
      }
    }
  }

  /** @return a slot, or empty (counted as a rejection) when the threads and the queue are all taken */
  public Optional<Slot> reserve() {
    if (pending.incrementAndGet() > capacity) {
      pending.decrementAndGet();
      rejections.increment();
      return Optional.empty();
    }
    return Optional.of(new Slot());
  }

  /** What a request refused by a full pool is told: 503 with Retry-After. */
  public static OAuthException busy() {
    return OAuthException.temporarilyUnavailable("the server is busy, retry shortly", null);
  }

  /** Runs CPU-bound work on the pool; fails with {@code temporarily_unavailable} when the pool is saturated. */
  public <T> Future<T> submit(Callable<T> work) {
    return reserve().map(slot -> run(slot, work)).orElseGet(() -> Future.failedFuture(busy()));
  }

  /** Runs CPU-bound work in a slot taken earlier, and frees the slot when it is done. */
  public <T> Future<T> run(Slot slot, Callable<T> work) {
    long queuedAt = System.nanoTime();
    // Unordered: hashes of one event loop must run in parallel, not one after another.
    return executor.executeBlocking(() -> {
      long startedAt = System.nanoTime();
      waitTime.record(startedAt - queuedAt, TimeUnit.NANOSECONDS);
      try {
        return work.call();
      } finally {
        hashTime.record(System.nanoTime() - startedAt, TimeUnit.NANOSECONDS);
        slot.release();
      }
    }, false);
  }

  public Future<Void> close() {
    return executor.close();
  }
}
