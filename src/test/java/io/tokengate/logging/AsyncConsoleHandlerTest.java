package io.tokengate.logging;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AsyncConsoleHandlerTest {

  /** The message and the thread that formatted it. */
  private static final Formatter MESSAGE_AND_THREAD = new Formatter() {
    @Override
    public String format(LogRecord record) {
      return record.getMessage() + " @" + Thread.currentThread().getName() + "\n";
    }
  };

  private static void log(AsyncConsoleHandler handler, String message) {
    handler.publish(new LogRecord(Level.INFO, message));
  }

  private static List<String> lines(ByteArrayOutputStream out) {
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void linesArriveInOrderFormattedOnTheCallersThread() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AsyncConsoleHandler handler = new AsyncConsoleHandler(out, 1000);
    handler.setFormatter(MESSAGE_AND_THREAD);

    IntStream.range(0, 1000).forEach(i -> log(handler, "line " + i));
    handler.close();

    String caller = " @" + Thread.currentThread().getName();
    assertEquals(IntStream.range(0, 1000).mapToObj(i -> "line " + i + caller).toList(), lines(out));
  }

  @Test
  void flushWritesEveryLinePublishedBeforeIt() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AsyncConsoleHandler handler = new AsyncConsoleHandler(out, 64);
    handler.setFormatter(MESSAGE_AND_THREAD);

    log(handler, "stopping");
    log(handler, "stopped");
    handler.flush();

    assertEquals(2, lines(out).size(), lines(out).toString());
    handler.close();
  }

  @Test
  void noLineIsLostAmongConcurrentPublishersWhenTheQueueIsLargeEnough() throws InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AsyncConsoleHandler handler = new AsyncConsoleHandler(out, 8 * 2000);
    handler.setFormatter(MESSAGE_AND_THREAD);

    List<Thread> publishers = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread publisher = new Thread(() -> IntStream.range(0, 2000).forEach(i -> log(handler, Integer.toString(i))),
        "publisher-" + t);
      publisher.start();
      publishers.add(publisher);
    }
    for (Thread publisher : publishers) {
      publisher.join();
    }
    handler.close();

    List<String> lines = lines(out);
    assertEquals(8 * 2000, lines.size());
    assertEquals(0, handler.dropped());
    for (int t = 0; t < 8; t++) {
      String suffix = " @publisher-" + t;
      assertEquals(IntStream.range(0, 2000).mapToObj(i -> i + suffix).toList(),
        lines.stream().filter(line -> line.endsWith(suffix)).toList(), "each publisher's lines in its order");
    }
  }

  @Test
  void aFullQueueDropsAndCountsWithoutBlockingThePublisherAndSaysSoOnceCaughtUp() {
    StalledStream stderr = new StalledStream();
    AsyncConsoleHandler handler = new AsyncConsoleHandler(stderr, 4);
    handler.setFormatter(MESSAGE_AND_THREAD);
    long droppedBefore = AsyncConsoleHandler.droppedLines();

    log(handler, "first");
    await(stderr.writing); // the writer holds "first" and is stuck in write(2): the queue is empty
    assertTimeoutPreemptively(Duration.ofSeconds(5),
      () -> IntStream.range(0, 4 + 10).forEach(i -> log(handler, "queued " + i)), "publishing never blocks");

    assertEquals(10, handler.dropped());
    assertTrue(AsyncConsoleHandler.droppedLines() - droppedBefore >= 10, "counted for the metric");
    stderr.resume.countDown();
    handler.close();

    List<String> lines = lines(stderr.written);
    assertEquals(List.of("first", "queued 0", "queued 1", "queued 2", "queued 3", "10 log lines dropped (queue full)"),
      lines.stream().map(line -> line.substring(0, line.indexOf(" @"))).toList());
    assertTrue(lines.get(5).endsWith(" @tokengate-log-writer"), lines.get(5));
  }

  @Test
  void aFloodOfOrdinaryLinesCannotPushAuditLinesOut() {
    StalledStream stderr = new StalledStream();
    AsyncConsoleHandler handler = new AsyncConsoleHandler(stderr, 4);
    handler.setFormatter(MESSAGE_AND_THREAD);
    long auditDroppedBefore = AsyncConsoleHandler.droppedAuditLines();

    log(handler, "first");
    await(stderr.writing);
    IntStream.range(0, 100).forEach(i -> log(handler, "ordinary " + i));
    IntStream.range(0, 4).forEach(i -> audit(handler, "audit " + i));

    assertEquals(96, handler.dropped());
    assertEquals(0, handler.droppedAudit(), "the audit share was untouched by the flood");
    audit(handler, "audit 4");
    assertEquals(1, handler.droppedAudit());
    assertEquals(1, AsyncConsoleHandler.droppedAuditLines() - auditDroppedBefore, "counted for the metric");
    stderr.resume.countDown();
    handler.close();

    assertEquals(List.of("first", "ordinary 0", "ordinary 1", "ordinary 2", "ordinary 3", "audit 0", "audit 1",
        "audit 2", "audit 3", "1 audit lines dropped (queue full)", "96 log lines dropped (queue full)"),
      lines(stderr.written).stream().map(line -> line.substring(0, line.indexOf(" @"))).toList());
  }

  private static void audit(AsyncConsoleHandler handler, String message) {
    LogRecord record = new LogRecord(Level.INFO, message);
    record.setLoggerName(AuditLines.LOGGER);
    handler.publish(record);
  }

  private static void await(CountDownLatch latch) {
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> latch.await());
  }

  /** Standard error with a full pipe: the first write waits until the test resumes it. */
  private static final class StalledStream extends OutputStream {
    final CountDownLatch writing = new CountDownLatch(1);
    final CountDownLatch resume = new CountDownLatch(1);
    final ByteArrayOutputStream written = new ByteArrayOutputStream();

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      writing.countDown();
      try {
        resume.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      written.write(bytes, offset, length);
    }
  }
}
