package io.tokengate.store;

import io.tokengate.support.Http;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
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
import static org.junit.jupiter.api.Assertions.assertFalse;

/** When the database goes away, clients get 503 temporarily_unavailable (never a 500 or a trace), readiness drops. */
@ExtendWith(VertxExtension.class)
class DatabaseOutageTest {

  private static TestGateway gateway;
  private static Http api;
  private static Http management;
  private static String secret;

  @BeforeAll
  static void start(Vertx vertx) {
    gateway = TestGateway.start(Map.of("TOKENGATE_CLIENTS_CACHE_TTL", "0s"));
    api = new Http(vertx, gateway.port());
    management = new Http(vertx, gateway.managementPort());
    secret = gateway.createClient("app", Set.of("password"), List.of(), List.of());
    gateway.createUser("alice", "correct horse battery staple");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void aLostDatabaseIs503WithRetryAfterAndReadinessGoesDown() {
    assertEquals(200, management.get("/health/ready").statusCode());

    gateway.database().drop();
    HttpResponse<Buffer> response = api.tokenWithBasic("app", secret,
      form("grant_type", "password", "username", "alice", "password", "correct horse battery staple"));

    assertEquals(503, response.statusCode(), response.bodyAsString());
    assertEquals("1", response.getHeader("Retry-After"));
    assertEquals("no-store", response.getHeader("Cache-Control"));
    JsonObject body = response.bodyAsJsonObject();
    assertEquals("temporarily_unavailable", body.getString("error"));
    assertFalse(response.bodyAsString().contains("Exception"), "no internals in the body");
    assertFalse(response.bodyAsString().contains("tokengate_test_"), "no database names in the body");
    assertEquals(503, management.get("/health/ready").statusCode());
    assertEquals(200, management.get("/health/live").statusCode(), "a database outage must not restart the pod");
  }
}
