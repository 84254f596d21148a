package io.tokengate.user;

import io.tokengate.support.Http;
import io.tokengate.support.Metrics;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Twice the password grants the hashing pool can do, offered at a steady rate (open loop, as real clients arrive):
 * the excess is refused at once with 503 and Retry-After, admitted requests wait at most for the bounded queue,
 * nothing piles up, and the health endpoints keep answering.
 */
@ExtendWith(VertxExtension.class)
class OverloadTest {

  private static final String PASSWORD = "correct horse battery staple";
  private static final int QUEUE = 2;

  private static TestGateway gateway;
  private static Http api;
  private static Http management;
  private static String secret;

  /** One answer: status, whether Retry-After came with a 503, and how long it took. */
  private record Answer(int status, boolean retryAfter, String error, long nanos) {
  }

  @BeforeAll
  static void start(Vertx vertx) {
    gateway = TestGateway.start(Map.of(
      "TOKENGATE_HASHING_THREADS", "1",
      "TOKENGATE_HASHING_QUEUE_SIZE", Integer.toString(QUEUE)));
    api = new Http(vertx, gateway.port());
    management = new Http(vertx, gateway.managementPort());
    secret = gateway.createClient("app", Set.of("password"), List.of(), List.of());
    gateway.createUser("alice", PASSWORD);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void twiceTheHashingCapacityIsSheddedAtOnceAndTheRestServedInBoundedTime(Vertx vertx) throws Exception {
    double hashSeconds = meanHashSeconds();
    double rate = 2 / hashSeconds; // one thread: capacity is 1 / hash time
    ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    List<Long> healthNanos = Collections.synchronizedList(new ArrayList<>());
    int total = (int) Math.max(40, rate * 4); // about four seconds of load
    CountDownLatch done = new CountDownLatch(total);
    AtomicInteger sent = new AtomicInteger();
    double[] owed = {0};

    long timer = vertx.setPeriodic(10, tick -> {
      owed[0] += rate / 100;
      while (owed[0] >= 1 && sent.get() < total) {
        owed[0] -= 1;
        sent.incrementAndGet();
        long started = System.nanoTime();
        api.client().post("/oauth2/token").putHeader("Authorization", Http.basic("app", secret))
          .sendForm(form("grant_type", "password", "username", "alice", "password", PASSWORD))
          .onComplete(result -> {
            if (result.succeeded()) {
              var response = result.result();
              answers.add(new Answer(response.statusCode(), response.getHeader("Retry-After") != null,
                response.statusCode() == 200 ? null : response.bodyAsJsonObject().getString("error"),
                System.nanoTime() - started));
            } else {
              answers.add(new Answer(-1, false, result.cause().toString(), System.nanoTime() - started));
            }
            done.countDown();
          });
      }
    });
    while (done.getCount() > 0) {
      long started = System.nanoTime();
      assertEquals(200, management.get("/health/live").statusCode());
      healthNanos.add(System.nanoTime() - started);
      double active = activeRequests();
      assertTrue(active <= QUEUE + 1 + rate, "requests do not pile up: " + active + " in flight");
      Thread.sleep(50);
    }
    vertx.cancelTimer(timer);
    assertTrue(done.await(30, TimeUnit.SECONDS));

    List<Answer> admitted = answers.stream().filter(answer -> answer.status() == 200).toList();
    List<Answer> shed = answers.stream().filter(answer -> answer.status() == 503).toList();
    assertEquals(total, admitted.size() + shed.size(), "only tokens and 503s: " + answers);
    assertTrue(!admitted.isEmpty() && !shed.isEmpty(), admitted.size() + " admitted, " + shed.size() + " shed");
    assertTrue(shed.stream().allMatch(answer -> answer.retryAfter() && "temporarily_unavailable".equals(answer.error())));
    long slowestAdmitted = admitted.stream().mapToLong(Answer::nanos).max().orElseThrow();
    // Waiting for at most QUEUE hashes ahead and its own, with room for a loaded machine.
    assertTrue(slowestAdmitted < seconds((QUEUE + 1) * hashSeconds * 4 + 1),
      "admitted requests wait for the bounded queue only: " + Duration.ofNanos(slowestAdmitted));
    assertTrue(median(shed) < median(admitted), "shedding does not wait for a hash");
    assertTrue(healthNanos.stream().allMatch(nanos -> nanos < seconds(1)), "health answers while overloaded");
    assertTrue(Metrics.value(management, "tokengate_hashing_rejections_total") >= shed.size());
  }

  /** Requests in flight on the public port, as Vert.x counts them; the series must be there. */
  private static double activeRequests() {
    String series = "vertx_http_server_active_requests{local=\"127.0.0.1:" + "-1\",method=\"POST\"} ";
    return management.get("/metrics").bodyAsString().lines()
      .filter(line -> line.startsWith(series))
      .mapToDouble(line -> Double.parseDouble(line.substring(series.length())))
      .findFirst().orElseThrow(() -> new AssertionError("no " + series));
  }

  /** The pool's own measurement, from a few requests one at a time. */
  private static double meanHashSeconds() {
    for (int i = 0; i < 5; i++) {
      assertEquals(200, api.tokenWithBasic("app", secret,
        form("grant_type", "password", "username", "alice", "password", PASSWORD)).statusCode());
    }
    return Metrics.value(management, "tokengate_hashing_duration_seconds_sum")
      / Metrics.value(management, "tokengate_hashing_duration_seconds_count");
  }

  private static long median(List<Answer> answers) {
    List<Long> sorted = answers.stream().map(Answer::nanos).sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static long seconds(double seconds) {
    return (long) (seconds * 1e9);
  }
}
