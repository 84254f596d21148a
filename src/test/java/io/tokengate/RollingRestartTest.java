package io.tokengate;

import io.tokengate.support.HaProxy;
import io.tokengate.support.PgBouncer;
import io.tokengate.support.TestDatabase;
import io.tokengate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static io.tokengate.support.Http.basic;
import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The short version of the cluster harness's rolling restart ({@code src/bench/cluster.sh}), so that it cannot
 * regress: two replicas behind a real HAProxy that follows {@code /health/ready}, through a real PgBouncer in
 * transaction mode; for 20 s password, refresh and client_credentials grants run through HAProxy while each replica
 * in turn is stopped (readiness down, {@code http.shutdown_delay}, drain) and started again on its ports. Every
 * request must succeed: no non-2xx answer, no socket error.
 */
class RollingRestartTest {

  private static final String PASSWORD = "correct horse battery staple";
  private static final Duration LOAD = Duration.ofSeconds(20);
  private static final int WORKERS = 8;

  private final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();

  @Test
  void twoReplicasRestartedOneByOneUnderLoadFailNoRequest() throws Exception {
    try (TestDatabase database = TestDatabase.create();
         PgBouncer bouncer = PgBouncer.transactionMode(database.url().withDatabase("postgres"))) {
      List<HaProxy.Backend> backends = List.of(
        new HaProxy.Backend(HaProxy.freePort(), HaProxy.freePort()),
        new HaProxy.Backend(HaProxy.freePort(), HaProxy.freePort()));
      List<TestGateway> replicas = new ArrayList<>();
      for (HaProxy.Backend backend : backends) {
        replicas.add(TestGateway.startOn(database, settings(bouncer, database, backend)));
      }
      String secret = replicas.get(0).createClient("app", Set.of("password", "refresh_token", "client_credentials"),
        List.of(), List.of());
      replicas.get(0).createUser("alice", PASSWORD);
      Vertx vertx = Vertx.vertx();
      try (HaProxy haproxy = HaProxy.inFrontOf(backends)) {
        awaitReady(vertx, backends);
        Thread.sleep(600);
        WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(haproxy.port()));
        long deadline = System.nanoTime() + LOAD.toNanos();
        List<Future<Void>> workers = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
          workers.add(worker(vertx, client, secret, i, deadline));
        }
        Thread.sleep(3_000);
        for (int i = 0; i < replicas.size(); i++) {
          replicas.get(i).close();
          replicas.set(i, TestGateway.startOn(database, settings(bouncer, database, backends.get(i))));
          awaitReady(vertx, List.of(backends.get(i)));
          Thread.sleep(2_000);
        }
        Future.join(workers).await();

        long succeeded = count("200");
        outcomes.remove("200");
        assertEquals(Map.of(), Map.copyOf(outcomes), "failures beside " + succeeded + " successes");
        assertTrue(succeeded > 500, "too little load to mean anything: " + succeeded + " requests");
      } finally {
        for (TestGateway replica : replicas) {
          replica.close();
        }
        vertx.close().await();
      }
    }
  }

  private static Map<String, String> settings(PgBouncer bouncer, TestDatabase database, HaProxy.Backend backend) {
    return Map.of(
      "TOKENGATE_DATABASE_URL", bouncer.through(database.url()).value(),
      "TOKENGATE_DATABASE_POOLER_MODE", "transaction",
      "TOKENGATE_HTTP_PORT", Integer.toString(backend.port()),
      "TOKENGATE_MANAGEMENT_PORT", Integer.toString(backend.managementPort()),
      // Longer than HAProxy's check interval (200 ms) times the failures it needs (2): it stops sending first.
      "TOKENGATE_HTTP_SHUTDOWN_DELAY", "1s",
      "TOKENGATE_HTTP_SHUTDOWN_GRACE", "5s",
      "TOKENGATE_HASHING_QUEUE_SIZE", "64");
  }

  /** Worker 0 logs in with the password over and over; the others refresh a token chain and mint client tokens. */
  private Future<Void> worker(Vertx vertx, WebClient client, String secret, int index, long deadline) {
    Promise<Void> done = Promise.promise();
    String[] refresh = new String[1];
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (System.nanoTime() > deadline) {
        done.complete();
        return;
      }
      boolean password = index == 0 || refresh[0] == null;
      var form = password ? form("grant_type", "password", "username", "alice", "password", PASSWORD)
        : (System.nanoTime() & 1) == 0 ? form("grant_type", "refresh_token", "refresh_token", refresh[0])
        : form("grant_type", "client_credentials");
      client.post("/oauth2/token").putHeader("Authorization", basic("app", secret)).sendForm(form)
        .onComplete(answer -> {
          if (answer.failed()) {
            count("socket error: " + answer.cause().getClass().getSimpleName() + " " + answer.cause().getMessage());
          } else {
            HttpResponse<Buffer> response = answer.result();
            count(response.statusCode() == 200 ? "200" : response.statusCode() + " " + response.bodyAsString());
            if (response.statusCode() == 200) {
              String rotated = response.bodyAsJsonObject().getString("refresh_token");
              if (rotated != null) {
                refresh[0] = rotated;
              }
            }
          }
          vertx.runOnContext(v -> next[0].run());
        });
    };
    vertx.runOnContext(v -> next[0].run());
    return done.future();
  }

  private long count(String outcome) {
    return outcomes.computeIfAbsent(outcome, key -> new AtomicLong()).incrementAndGet();
  }

  private static void awaitReady(Vertx vertx, List<HaProxy.Backend> backends) throws InterruptedException {
    WebClient probe = WebClient.create(vertx);
    try {
      for (HaProxy.Backend backend : backends) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
          try {
            if (probe.get(backend.managementPort(), "127.0.0.1", "/health/ready").send().await().statusCode() == 200) {
              break;
            }
          } catch (RuntimeException notYet) {
            // not listening yet
          }
          if (System.nanoTime() > deadline) {
            throw new AssertionError("replica on " + backend.port() + " not ready within 20 s");
          }
          Thread.sleep(100);
        }
      }
    } finally {
      probe.close();
    }
  }
}
