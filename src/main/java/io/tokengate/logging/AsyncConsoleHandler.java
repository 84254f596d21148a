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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * to the container runtime) then stalls that thread only, never an event loop. A line that finds the queue full is
 * dropped and counted ({@code tokengate_log_lines_dropped_total}); the writer says how many once it has caught up.
 */
public final class AsyncConsoleHandler extends Handler {

  static final int CAPACITY = 8192;
  private static final int BATCH = 512;
  private static final Duration FLUSH_BOUND = Duration.ofSeconds(2);
  private static final LongAdder DROPPED_IN_PROCESS = new LongAdder();

  /** Lines (String) and, from {@link #flush()}, a latch to open once everything before it is written. */
  private final BlockingQueue<Object> queue;
  private final Writer out;
  private final AtomicLong dropped = new AtomicLong();
  private final Thread writer;
  /** Dropped lines the writer has already told of; the writer's own. */
  private long reported;

  public AsyncConsoleHandler() {
    this(new FileOutputStream(FileDescriptor.err), CAPACITY);
  }

  AsyncConsoleHandler(OutputStream out, int capacity) {
    this.queue = new ArrayBlockingQueue<>(capacity);
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

  /** Lines this handler has dropped. */
  long dropped() {
    return dropped.get();
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
    if (!queue.offer(line)) {
      dropped.incrementAndGet();
      DROPPED_IN_PROCESS.increment();
    }
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
          if (item instanceof String line) {
            write(line);
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

  /** Tells of the lines dropped since the last time (one line, formatted like any other), and flushes. */
  private void catchUp() {
    long unreported = dropped.get() - reported;
    if (unreported > 0) {
      LogRecord record = new LogRecord(Level.WARNING, unreported + " log lines dropped (queue full)");
      record.setLoggerName(AsyncConsoleHandler.class.getName());
      write(getFormatter().format(record));
      reported += unreported;
    }
    flushOut();
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
