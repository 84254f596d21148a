package io.tokengate.http;

import io.tokengate.client.ClientRegistration;
import io.tokengate.support.Http;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rate limits per source address (the forwarded one only from a trusted proxy) and per client, and the audit line
 * every token request leaves: JSON, with ids and reasons, never a secret.
 */
@ExtendWith(VertxExtension.class)
class RateLimitAndAuditTest {

  private static final String PASSWORD = "correct horse battery staple";

  private static TestGateway gateway;
  private static Http api;
  private static String secret;
  private static String slowSecret;
  private final List<String> auditLines = new ArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      synchronized (auditLines) {
        auditLines.add(record.getMessage());
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  @BeforeAll
  static void start(Vertx vertx) {
    gateway = TestGateway.start(Map.of(
      "TOKENGATE_RATE_LIMITS_PER_ADDRESS", "5",
      "TOKENGATE_RATE_LIMITS_PER_ADDRESS_BURST", "5",
      "TOKENGATE_HTTP_TRUSTED_PROXIES", "127.0.0.1"));
    api = new Http(vertx, gateway.port());
    secret = gateway.createClient("app", Set.of("password", "client_credentials"), List.of(), List.of());
    slowSecret = gateway.register(new ClientRegistration.Request("slow-app", Set.of("client_credentials"), List.of(),
      List.of(), Optional.empty(), Optional.empty()).withPolicies(io.tokengate.user.OtpPolicy.IF_ENROLLED,
      Optional.of(1))).generatedSecret().orElseThrow();
    gateway.createUser("alice", PASSWORD);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @BeforeEach
  void listen() {
    Logger.getLogger("tokengate.audit").addHandler(capture);
  }

  @AfterEach
  void stopListening() {
    Logger.getLogger("tokengate.audit").removeHandler(capture);
  }

  private static HttpResponse<Buffer> fromAddress(String address, String client, String clientSecret) {
    return api.client().post("/oauth2/token").putHeader("X-Forwarded-For", address)
      .putHeader("Authorization", Http.basic(client, clientSecret))
      .sendForm(form("grant_type", "client_credentials")).await();
  }

  @Test
  void anAddressOverItsRateGets429WithRetryAfterAndOthersAreUntouched() {
    int refused = 0;
    HttpResponse<Buffer> last = null;
    for (int i = 0; i < 8; i++) {
      last = fromAddress("198.51.100.7", "app", secret);
      if (last.statusCode() == 429) {
        refused++;
      }
    }
    assertTrue(refused >= 2, "the burst of 5 is spent: " + refused);
    assertEquals(429, last.statusCode());
    assertNotNull(last.getHeader("Retry-After"));
    assertEquals("temporarily_unavailable", last.bodyAsJsonObject().getString("error"));
    assertEquals(200, fromAddress("198.51.100.8", "app", secret).statusCode(), "another address has its own");
  }

  @Test
  void aClientOverItsOwnRateGets429() {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      statuses.add(fromAddress("203.0.113." + i, "slow-app", slowSecret).statusCode());
    }
    assertTrue(statuses.contains(429), "1 per second with a burst of 2: " + statuses);
  }

  /** The line is written just after the answer is sent: wait for it a little. */
  private JsonObject awaitLine(String requestId) {
    for (int attempt = 0; attempt < 200; attempt++) {
      synchronized (auditLines) {
        Optional<JsonObject> line = auditLines.stream().map(JsonObject::new)
          .filter(candidate -> requestId.equals(candidate.getString("request_id"))).findFirst();
        if (line.isPresent()) {
          return line.get();
        }
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    throw new AssertionError("no audit line for request " + requestId);
  }

  @Test
  void everyDecisionLeavesOneJsonAuditLineWithoutSecrets() {
    HttpResponse<Buffer> issued = api.client().post("/oauth2/token").putHeader("X-Forwarded-For", "192.0.2.10")
      .putHeader("Authorization", Http.basic("app", secret))
      .sendForm(form("grant_type", "password", "username", "alice", "password", PASSWORD)).await();
    HttpResponse<Buffer> refused = api.client().post("/oauth2/token").putHeader("X-Forwarded-For", "192.0.2.11")
      .putHeader("Authorization", Http.basic("app", secret))
      .sendForm(form("grant_type", "password", "username", "alice", "password", "wrong " + PASSWORD)).await();

    JsonObject success = awaitLine(issued.getHeader("X-Request-Id"));
    JsonObject failure = awaitLine(refused.getHeader("X-Request-Id"));
    List<JsonObject> lines;
    synchronized (auditLines) {
      lines = auditLines.stream().map(JsonObject::new).toList();
    }

    assertEquals("issued", success.getString("outcome"));
    assertEquals("app", success.getString("client_id"));
    assertEquals("password", success.getString("grant_type"));
    assertEquals("192.0.2.10", success.getString("source"));
    assertEquals(gateway.queryString("SELECT id::text FROM users WHERE username = 'alice'"), success.getString("user"));
    assertEquals("invalid_grant", failure.getString("outcome"));
    assertEquals("wrong_password", failure.getString("reason"));
    assertTrue(failure.getString("user").matches("hmac:[0-9a-f]{64}"), failure.getString("user"));
    for (JsonObject line : lines) {
      String text = line.encode();
      assertFalse(text.contains(PASSWORD) || text.contains(secret) || text.contains("alice"), text);
      assertNotNull(line.getString("time"));
      assertNotNull(line.getString("replica"));
    }
    assertFalse(issued.bodyAsString().isEmpty());
    assertFalse(lines.stream().anyMatch(line -> line.encode()
      .contains(issued.bodyAsJsonObject().getString("access_token"))), "never a token");
  }
}
