package io.tokengate.http;

import io.tokengate.metrics.TokenRequestOutcomes;
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

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The management port: health for Kubernetes, metrics for Prometheus. */
@ExtendWith(VertxExtension.class)
class OperationsTest {

  private static final String PASSWORD = "a password nobody should ever see";

  private static TestGateway gateway;
  private static Http api;
  private static Http management;
  private static String secret;

  @BeforeAll
  static void start(Vertx vertx) {
    gateway = TestGateway.start();
    api = new Http(vertx, gateway.port());
    management = new Http(vertx, gateway.managementPort());
    secret = gateway.createClient("metrics-client", Set.of("password"), List.of(), List.of());
    gateway.createUser("metrics-user", PASSWORD);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void livenessAndReadinessAreUpWhenTheDatabaseAnswers() {
    HttpResponse<Buffer> live = management.get("/health/live");
    HttpResponse<Buffer> ready = management.get("/health/ready");

    assertEquals(200, live.statusCode());
    assertEquals(200, ready.statusCode());
    assertEquals("UP", ready.bodyAsJsonObject().getString("status"));
    assertTrue(ready.bodyAsString().contains("database"));
  }

  @Test
  void theStartupProbeIsUpOnceStarted() {
    HttpResponse<Buffer> started = management.get("/health/started");

    assertEquals(200, started.statusCode());
    assertEquals("UP", started.bodyAsJsonObject().getString("status"));
  }

  @Test
  void readinessNamesEachDependencyWithoutSecrets() {
    JsonObject ready = management.get("/health/ready").bodyAsJsonObject();
    Map<String, JsonObject> checks = new HashMap<>();
    ready.getJsonArray("checks").forEach(check -> checks.put(((JsonObject) check).getString("id"), (JsonObject) check));

    assertEquals(Set.of("accepting-traffic", "database", "signing-keys", "user-sources"), checks.keySet());
    JsonObject database = checks.get("database").getJsonObject("data");
    assertEquals(gateway.config().database().url().database(), database.getString("database"));
    assertEquals("127.0.0.1", database.getString("host"));
    assertEquals("database", checks.get("signing-keys").getJsonObject("data").getString("source"));
    assertEquals("ES256", checks.get("signing-keys").getJsonObject("data").getString("algorithm"));
    assertEquals("database", checks.get("user-sources").getJsonObject("data").getString("local"));
    assertFalse(ready.encode().contains("postgres@"), "no user or password of the database URL");
  }

  @Test
  void everyTokenRequestCounterIsThereAtZeroFromTheFirstScrape(Vertx vertx) {
    try (TestGateway fresh = TestGateway.start()) {
      String metrics = new Http(vertx, fresh.managementPort()).get("/metrics").bodyAsString();

      for (String grant : List.of("password", "refresh_token", "client_credentials", "other")) {
        for (String outcome : TokenRequestOutcomes.ALL) {
          String series = "tokengate_token_requests_total{grant_type=\"" + grant + "\",outcome=\"" + outcome + "\"} 0.0";
          assertTrue(metrics.contains(series), series);
        }
      }
      assertTrue(TokenRequestOutcomes.ALL.containsAll(List.of("issued", "invalid_request", "invalid_client",
        "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope", "server_error",
        "temporarily_unavailable", "invalid_dpop_proof", "rate_limited", "client_closed")));
    }
  }

  @Test
  void managementEndpointsAreNotOnThePublicPort() {
    assertEquals(404, api.get("/metrics").statusCode());
    assertEquals(404, api.get("/health/ready").statusCode());
  }

  @Test
  void metricsCountTokenRequestsByGrantAndOutcomeAndTimeThemPerRoute() {
    api.tokenWithBasic("metrics-client", secret, form("grant_type", "password", "username", "metrics-user", "password", PASSWORD));
    api.tokenWithBasic("metrics-client", secret, form("grant_type", "password", "username", "metrics-user", "password", "wrong"));
    api.tokenWithBasic("metrics-client", "bad-secret", form("grant_type", "password"));
    api.tokenRaw("application/x-www-form-urlencoded", "grant_type=" + "x".repeat(500));

    String metrics = management.get("/metrics").bodyAsString();

    assertTrue(metrics.contains("tokengate_token_requests_total{grant_type=\"password\",outcome=\"issued\"}"), metrics);
    assertTrue(metrics.contains("tokengate_token_requests_total{grant_type=\"password\",outcome=\"invalid_grant\"}"));
    assertTrue(metrics.contains("tokengate_token_requests_total{grant_type=\"password\",outcome=\"invalid_client\"}"));
    assertTrue(metrics.contains("tokengate_token_requests_total{grant_type=\"other\",outcome=\"unsupported_grant_type\"}"),
      "a grant type the client made up is not a label value");
    // local is the listening address (for a test's random port, Vert.x reports it as "host:-1").
    assertTrue(Pattern.compile("vertx_http_server_response_time_seconds_bucket\\{code=\"200\",local=\"127\\.0\\.0\\.1:[-0-9]+\","
        + "method=\"POST\",route=\"/oauth2/token\",le=\"0\\.05\"}").matcher(metrics).find(),
      "latency histogram per server, route and status, with SLO buckets");
    assertTrue(metrics.contains("vertx_pool_in_use{pool_name=\"tokengate\",pool_type=\"sql\"}"), "database pool usage");
    assertTrue(metrics.contains("tokengate_hashing_queue_depth "));
    assertTrue(metrics.contains("tokengate_hashing_rejections_total "));
    assertTrue(metrics.contains("tokengate_hashing_duration_seconds_bucket"));
    assertTrue(metrics.contains("jvm_memory_used_bytes"));
    assertTrue(metrics.contains("tokengate_log_lines_dropped_total "));
  }

  @Test
  void metricsNeverCarryUsernamesSecretsOrPasswords() {
    api.tokenWithBasic("metrics-client", secret, form("grant_type", "password", "username", "metrics-user", "password", PASSWORD));

    String metrics = management.get("/metrics").bodyAsString();

    assertFalse(metrics.contains("metrics-user"));
    assertFalse(metrics.contains(secret));
    assertFalse(metrics.contains(PASSWORD));
  }
}
