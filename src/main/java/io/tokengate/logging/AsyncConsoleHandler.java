package io.tokengate.logging;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * Log lines on standard error without a write on the caller's thread. The caller formats the record (so the
 * formatter sees it where it was made) and offers the line to a bounded queue; one daemon thread writes the lines,
 * many to a write under load, and flushes whenever the queue runs empty. A slow reader of standard error (a full pipe
 * to the container runtime) then stalls that thread only, never an event loop.
 *
 * <p>Audit lines and all other lines have a bound each: a flood of ordinary lines can fill only its own share, never
 * push an audit line out. A line that finds its share full is dropped and counted
 * ({@code tokengate_audit_lines_dropped_total}, {@code tokengate_log_lines_dropped_total}); the writer says how many
 * once it has caught up. One queue keeps the lines in the order they were logged.
 */
public final class AsyncConsoleHandler extends Handler {

  static final int CAPACITY = 8192;
  private static final int BATCH = 512;
  private static final Duration FLUSH_BOUND = Duration.ofSeconds(2);
  private static final LongAdder DROPPED_IN_PROCESS = new LongAdder();
  private static final LongAdder DROPPED_AUDIT_IN_PROCESS = new LongAdder();

  /** A formatted line, and whose share of the queue it takes. */
  private record Line(String text, boolean audit) {
  }

  /** Lines and, from {@link #flush()}, a latch to open once everything before it is written. Bounded by the shares. */
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final int capacity;
  private final AtomicInteger queuedAudit = new AtomicInteger();
  private final AtomicInteger queuedOther = new AtomicInteger();
  private final Writer out;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong droppedAudit = new AtomicLong();
  private final Thread writer;
  /** Dropped lines the writer has already told of; the writer's own. */
  private long reported;
  private long reportedAudit;

  public AsyncConsoleHandler() {
    this(new FileOutputStream(FileDescriptor.err), CAPACITY);
  }

  /** @param capacity lines of each kind (audit, other) that may wait for the writer */
  AsyncConsoleHandler(OutputStream out, int capacity) {
    this.capacity = capacity;
    this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    setFormatter(new SimpleFormatter());
    writer = new Thread(this::writeLines, "tokengate-log-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Lines every handler of this process has dropped because its queue was full. */
  public static long droppedLines() {
    return DROPPED_IN_PROCESS.sum();
  }

  /** Audit lines every handler of this process has dropped because their share of the queue was full. */
  public static long droppedAuditLines() {
    return DROPPED_AUDIT_IN_PROCESS.sum();
  }

  /** Lines other than audit lines this handler has dropped. */
  long dropped() {
    return dropped.get();
  }

  /** Audit lines this handler has dropped. */
  long droppedAudit() {
    return droppedAudit.get();
  }

  @Override
  public void publish(LogRecord record) {
    if (!isLoggable(record)) {
      return;
    }
    String line;
    try {
      line = getFormatter().format(record);
    } catch (RuntimeException e) {
      reportError(null, e, ErrorManager.FORMAT_FAILURE);
      return;
    }
    boolean audit = AuditLines.isAudit(record);
    AtomicInteger share = audit ? queuedAudit : queuedOther;
    if (share.incrementAndGet() > capacity) {
      share.decrementAndGet();
      (audit ? droppedAudit : dropped).incrementAndGet();
      (audit ? DROPPED_AUDIT_IN_PROCESS : DROPPED_IN_PROCESS).increment();
      return;
    }
    queue.add(new Line(line, audit));
  }

  /** Waits, at most 2 s, until every line published before this call is written out. */
  @Override
  public void flush() {
    if (!writer.isAlive()) {
      return;
    }
    long deadline = System.nanoTime() + FLUSH_BOUND.toNanos();
    CountDownLatch written = new CountDownLatch(1);
    try {
      if (queue.offer(written, FLUSH_BOUND.toNanos(), TimeUnit.NANOSECONDS)) {
        written.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Publishes no more, writes what is queued (waiting at most 2 s) and stops the writer; stderr stays open. */
  @Override
  public void close() {
    setLevel(Level.OFF);
    flush();
    writer.interrupt();
  }

  private void writeLines() {
    List<Object> batch = new ArrayList<>(BATCH);
    try {
      while (true) {
        batch.add(queue.take());
        queue.drainTo(batch, BATCH - 1);
        for (Object item : batch) {
          if (item instanceof Line line) {
            (line.audit() ? queuedAudit : queuedOther).decrementAndGet();
            write(line.text());
          } else {
            catchUp();
            ((CountDownLatch) item).countDown();
          }
        }
        batch.clear();
        if (queue.isEmpty()) {
          catchUp();
        }
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  /** Tells of the lines dropped since the last time (one line each kind, formatted like any other), and flushes. */
  private void catchUp() {
    long unreportedAudit = droppedAudit.get() - reportedAudit;
    if (unreportedAudit > 0) {
      warn(unreportedAudit + " audit lines dropped (queue full)");
      reportedAudit += unreportedAudit;
    }
    long unreported = dropped.get() - reported;
    if (unreported > 0) {
      warn(unreported + " log lines dropped (queue full)");
      reported += unreported;
    }
    flushOut();
  }

  private void warn(String message) {
    LogRecord record = new LogRecord(Level.WARNING, message);
    record.setLoggerName(AsyncConsoleHandler.class.getName());
    write(getFormatter().format(record));
  }

  private void write(String line) {
    try {
      out.write(line);
    } catch (IOException e) {
      reportError(null, e, ErrorManager.WRITE_FAILURE);
    }
  }

  private void flushOut() {
    try {
      out.flush();
    } catch (IOException e) {
      reportError(null, e, ErrorManager.FLUSH_FAILURE);
    }
  }
}
