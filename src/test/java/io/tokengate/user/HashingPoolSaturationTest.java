package io.tokengate.user;

import io.tokengate.support.Http;
import io.tokengate.support.Metrics;
import io.tokengate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One hashing thread, no queue, and a hash slow enough to watch: while one password is being checked, the next
 * request is refused at once with 503 + Retry-After instead of waiting.
 */
@ExtendWith(VertxExtension.class)
class HashingPoolSaturationTest {

  private static final String PASSWORD = "correct horse battery staple";

  private static TestGateway gateway;
  private static Http api;
  private static Http management;
  private static String secret;

  @BeforeAll
  static void start(Vertx vertx) {
    gateway = TestGateway.start(Map.of(
      "TOKENGATE_HASHING_THREADS", "1",
      "TOKENGATE_HASHING_QUEUE_SIZE", "0",
      "TOKENGATE_HASHING_ARGON2_MEMORY_KIB", "65536",
      "TOKENGATE_HASHING_ARGON2_ITERATIONS", "8"));
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
  void aRequestArrivingWhileThePoolIsFullGets503WithRetryAfterAtOnce() {
    Future<HttpResponse<Buffer>> first = api.client().post("/oauth2/token")
      .putHeader("Authorization", Http.basic("app", secret))
      .sendForm(form("grant_type", "password", "username", "alice", "password", PASSWORD));
    Metrics.awaitLine(management, "tokengate_hashing_active 1.0");

    HttpResponse<Buffer> refused = api.tokenWithBasic("app", secret,
      form("grant_type", "password", "username", "alice", "password", PASSWORD));

    assertEquals(503, refused.statusCode());
    assertEquals("1", refused.getHeader("Retry-After"));
    assertEquals("temporarily_unavailable", refused.bodyAsJsonObject().getString("error"));
    assertEquals(200, first.await().statusCode(), "the admitted request completes normally");
    String metrics = management.get("/metrics").bodyAsString();
    assertTrue(metrics.contains("tokengate_hashing_rejections_total 1.0"), metrics);
    assertTrue(metrics.contains("tokengate_token_requests_total{grant_type=\"password\",outcome=\"temporarily_unavailable\"} 1.0"));
  }
}
