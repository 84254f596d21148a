package io.tokengate;

import io.tokengate.cli.Main;
import io.tokengate.client.ClientSecrets;
import io.tokengate.support.TestDatabase;
import io.tokengate.user.Argon2Hasher;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM to a real tokengate process under load, with the load generator acting as a load balancer: it stops
 * sending once readiness fails. Every request it sent — quick client_credentials grants and password grants queued
 * for the hashing pool — must get its tokens; then the port closes and the process exits within the grace period.
 */
class SigtermUnderLoadTest {

  private static final String PASSWORD = "correct horse battery staple";
  private static final String SECRET = ClientSecrets.generate();

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(2)).build();

  /** What became of one request: its status, or the exception that ended it. */
  private record Outcome(String grant, int status, String failure) {
  }

  @Test
  void everyAcceptedRequestSucceedsAndTheProcessExitsInTime() throws Exception {
    try (TestDatabase database = TestDatabase.create()) {
      int publicPort = freePort();
      int managementPort = freePort();
      Path log = Files.createTempFile("tokengate-sigterm", ".log");
      Process gateway = start(database, publicPort, managementPort, log);
      try {
        awaitReady(managementPort, gateway, log);
        seed(database);

        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicBoolean balancerSends = new AtomicBoolean(true);
        List<Thread> load = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          String grant = i < 2 ? "password" : "client_credentials";
          load.add(startThread(() -> {
            while (balancerSends.get()) {
              outcomes.add(request(publicPort, grant));
            }
          }));
        }
        Thread.sleep(1500);

        long signalled = System.nanoTime();
        gateway.destroy(); // SIGTERM
        awaitNotReady(managementPort);
        balancerSends.set(false);
        for (Thread thread : load) {
          thread.join();
        }

        assertTrue(gateway.waitFor(30, TimeUnit.SECONDS), "the process exits");
        Duration exitedAfter = Duration.ofNanos(System.nanoTime() - signalled);
        String output = Files.readString(log);
        List<Outcome> failed = outcomes.stream().filter(outcome -> outcome.status() != 200).toList();
        assertTrue(failed.isEmpty(), "every accepted request succeeds: " + failed);
        assertTrue(outcomes.stream().filter(outcome -> outcome.grant().equals("password")).count() > 0);
        assertEquals(143, gateway.exitValue(), "the JVM's exit status for SIGTERM, after a clean shutdown: " + output);
        assertTrue(exitedAfter.compareTo(Duration.ofSeconds(2 + 10 + 5)) < 0, "within delay + grace: " + exitedAfter);
        assertTrue(output.contains("stopping: draining in-flight requests") && output.contains("INFO io.tokengate.cli.ServeCommand stopped"),
          output);
        assertFalse(output.contains("Exception"), output);
        assertTrue(request(publicPort, "client_credentials").failure().startsWith(ConnectException.class.getName()),
          "the port is closed");
      } finally {
        gateway.destroyForcibly();
      }
    }
  }

  private static Process start(TestDatabase database, int publicPort, int managementPort, Path log)
    throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
      Main.class.getName(), "serve")
      .redirectErrorStream(true)
      .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("TOKENGATE_"));
    env.put("TOKENGATE_DATABASE_URL", database.url().value());
    env.put("TOKENGATE_HTTP_HOST", "127.0.0.1");
    env.put("TOKENGATE_HTTP_PORT", Integer.toString(publicPort));
    env.put("TOKENGATE_MANAGEMENT_HOST", "127.0.0.1");
    env.put("TOKENGATE_MANAGEMENT_PORT", Integer.toString(managementPort));
    env.put("TOKENGATE_HTTP_SHUTDOWN_DELAY", "2s");
    env.put("TOKENGATE_HTTP_SHUTDOWN_GRACE", "10s");
    // One slow hashing thread, so that password grants are queued when the signal comes.
    env.put("TOKENGATE_HASHING_THREADS", "1");
    env.put("TOKENGATE_HASHING_ARGON2_MEMORY_KIB", "32768");
    builder.directory(new File(System.getProperty("java.io.tmpdir")));
    return builder.start();
  }

  /** A client for both grants and a user, written straight into the database the process migrated. */
  private static void seed(TestDatabase database) {
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = PgBuilder.pool().connectingTo(database.url().connectOptions()).using(vertx).build();
      pool.preparedQuery("INSERT INTO clients (client_id, secret_hash, auth_methods, grant_types) "
          + "VALUES ('load', $1, '{client_secret_basic}', '{password,client_credentials}')")
        .execute(Tuple.of(ClientSecrets.hashGenerated(SECRET))).await();
      String hash = new Argon2Hasher(new Argon2Hasher.Parameters(32768, 5, 1))
        .hash(PASSWORD.getBytes(StandardCharsets.UTF_8));
      pool.preparedQuery("INSERT INTO users (username, password_hash) VALUES ('alice', $1)")
        .execute(Tuple.of(hash)).await();
      pool.close().await();
    } finally {
      vertx.close().await();
    }
  }

  private Outcome request(int port, String grant) {
    String body = grant.equals("password")
      ? "grant_type=password&username=alice&password=" + PASSWORD.replace(" ", "+")
      : "grant_type=client_credentials";
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/oauth2/token"))
      .header("Content-Type", "application/x-www-form-urlencoded")
      .header("Authorization", "Basic " + Base64.getEncoder()
        .encodeToString(("load:" + SECRET).getBytes(StandardCharsets.UTF_8)))
      .timeout(Duration.ofSeconds(20))
      .POST(HttpRequest.BodyPublishers.ofString(body))
      .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Outcome(grant, response.statusCode(), response.statusCode() == 200 ? null : response.body());
    } catch (IOException e) {
      return new Outcome(grant, -1, e.getClass().getName() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(grant, -1, "interrupted");
    }
  }

  private int health(int managementPort) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/health/ready"))
        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private void awaitReady(int managementPort, Process gateway, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (health(managementPort) != 200) {
      assertTrue(gateway.isAlive(), "the gateway died: " + Files.readString(log));
      assertTrue(System.nanoTime() < deadline, "never ready: " + Files.readString(log));
      Thread.sleep(100);
    }
  }

  /** As a load balancer's health check, only faster: readiness fails (or the port is gone). */
  private void awaitNotReady(int managementPort) throws InterruptedException {
    while (health(managementPort) == 200) {
      Thread.sleep(20);
    }
  }

  private static Thread startThread(Runnable body) {
    Thread thread = new Thread(body);
    thread.start();
    return thread;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
