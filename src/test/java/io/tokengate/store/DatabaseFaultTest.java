package io.tokengate.store;

import io.tokengate.config.DatabaseUrl;
import io.tokengate.support.Http;
import io.tokengate.support.TcpProxy;
import io.tokengate.support.TestDatabase;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database disappearing under load, through a proxy the test breaks and mends: requests fail fast with 503
 * temporarily_unavailable (never a 500, never a hang beyond the configured timeouts), readiness goes down, and
 * everything comes back by itself when the database does, with no restart.
 */
@ExtendWith(VertxExtension.class)
class DatabaseFaultTest {

  /** database.acquire_timeout + statement_timeout below, plus room for a loaded machine. */
  private static final Duration NO_HANG = Duration.ofSeconds(6);

  private TestDatabase database;
  private TcpProxy proxy;
  private TestGateway gateway;
  private Http api;
  private Http management;
  private String secret;

  /** One request's fate: status, OAuth error, and how long it took. */
  private record Outcome(int status, String error, Duration took) {
  }

  @BeforeEach
  void start(Vertx vertx) {
    database = TestDatabase.create();
    DatabaseUrl real = database.url();
    proxy = new TcpProxy(real.connectOptions().getHost(), real.connectOptions().getPort());
    String throughProxy = "postgresql://" + real.connectOptions().getUser() + "@127.0.0.1:" + proxy.port() + "/"
      + real.database();
    gateway = TestGateway.startOn(database, Map.of(
      "TOKENGATE_DATABASE_URL", throughProxy,
      "TOKENGATE_DATABASE_CONNECT_TIMEOUT", "1s",
      "TOKENGATE_DATABASE_ACQUIRE_TIMEOUT", "1s",
      "TOKENGATE_DATABASE_STATEMENT_TIMEOUT", "2s",
      // Every request reads the client from the database, so every request meets the outage.
      "TOKENGATE_CLIENTS_CACHE_TTL", "0s"));
    api = new Http(vertx, gateway.port());
    management = new Http(vertx, gateway.managementPort());
    secret = gateway.createClient("service", Set.of("client_credentials"), List.of(), List.of());
  }

  @AfterEach
  void stop() {
    gateway.close();
    proxy.close();
    database.close();
  }

  @Test
  void aDatabaseThatVanishesFromTheNetwork() throws Exception {
    survivesAnOutage(proxy::blackhole);
  }

  @Test
  void aDatabaseThatRefusesConnections() throws Exception {
    survivesAnOutage(proxy::refuse);
  }

  private void survivesAnOutage(Runnable outage) throws Exception {
    ConcurrentLinkedQueue<Outcome> before = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Outcome> during = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Outcome> after = new ConcurrentLinkedQueue<>();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicReference<ConcurrentLinkedQueue<Outcome>> phase = new AtomicReference<>(before);
    // Four clients sending one request after another, for the whole test.
    List<Thread> load = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread client = new Thread(() -> {
        while (running.get()) {
          // Filed under the phase it ended in: a request cut off by the outage belongs to the outage.
          Outcome outcome = request();
          phase.get().add(outcome);
        }
      });
      client.start();
      load.add(client);
    }

    Thread.sleep(1000);
    assertEquals(200, management.get("/health/ready").statusCode());

    phase.set(during);
    outage.run();
    awaitStatus("/health/ready", 503);
    Thread.sleep(3000);

    phase.set(after);
    proxy.restore();
    awaitStatus("/health/ready", 200);
    awaitRecovery(after);
    running.set(false);
    for (Thread thread : load) {
      thread.join();
    }

    assertTrue(before.stream().allMatch(outcome -> outcome.status() == 200), "healthy: " + before);
    assertTrue(during.stream().anyMatch(outcome -> outcome.status() == 503), "the outage was felt");
    for (Outcome outcome : during) {
      assertTrue(outcome.status() == 200 || outcome.status() == 503 && "temporarily_unavailable".equals(outcome.error()),
        "during the outage only tokens or 503 temporarily_unavailable, got " + outcome);
      assertTrue(outcome.took().compareTo(NO_HANG) < 0, "no request hangs: " + outcome);
    }
    for (Outcome outcome : after) {
      assertTrue(outcome.status() == 200 || outcome.status() == 503, "recovering: " + outcome);
    }
  }

  private Outcome request() {
    long started = System.nanoTime();
    HttpResponse<Buffer> response = api.tokenWithBasic("service", secret, form("grant_type", "client_credentials"));
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    String error = response.statusCode() == 200 ? null : response.bodyAsJsonObject().getString("error");
    return new Outcome(response.statusCode(), error, took);
  }

  /** Polls (each poll a real round trip) until the endpoint answers with the status, for at most half a minute. */
  private void awaitStatus(String path, int status) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (management.get(path).statusCode() != status) {
      assertTrue(System.nanoTime() < deadline, path + " never answered " + status);
      Thread.sleep(100);
    }
  }

  /** Back without a restart: the load sees tokens again. */
  private static void awaitRecovery(ConcurrentLinkedQueue<Outcome> after) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (after.stream().noneMatch(outcome -> outcome.status() == 200)) {
      assertTrue(System.nanoTime() < deadline, "the gateway never recovered: " + after);
      Thread.sleep(100);
    }
  }
}
