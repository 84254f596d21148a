package io.tokengate.grant;

import io.tokengate.support.Http;
import io.tokengate.support.TestClock;
import io.tokengate.support.TestGateway;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * With a reuse grace window, the token just rotated away is honoured once more inside the window — a client that
 * sent two refreshes at once, or lost the answer to the first — and gets the very successor the first use got; a
 * third use, or one after the window, is reuse.
 */
@ExtendWith(VertxExtension.class)
class RefreshReuseGraceTest {

  private static final String PASSWORD = "correct horse battery staple";
  private static final TestClock CLOCK = new TestClock();

  private static TestGateway gateway;
  private static Http http;
  private static String secret;

  @BeforeAll
  static void start(Vertx vertx) {
    gateway = TestGateway.start(Map.of("TOKENGATE_TOKENS_REFRESH_TOKEN_REUSE_GRACE", "10s"), CLOCK);
    http = new Http(vertx, gateway.port());
    secret = gateway.createClient("app", Set.of("password", "refresh_token"), List.of("read"), List.of("read"));
    gateway.createUser("alice", PASSWORD);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static String login() {
    return http.tokenWithBasic("app", secret, form("grant_type", "password", "username", "alice", "password", PASSWORD))
      .bodyAsJsonObject().getString("refresh_token");
  }

  private static HttpResponse<Buffer> refresh(String token) {
    MultiMap form = form("grant_type", "refresh_token", "refresh_token", token);
    return http.tokenWithBasic("app", secret, form);
  }

  @Test
  void thePreviousTokenIsHonouredOnceInsideTheWindowWithTheSameSuccessor() {
    String first = login();
    String second = refresh(first).bodyAsJsonObject().getString("refresh_token");
    CLOCK.advance(Duration.ofSeconds(5));

    HttpResponse<Buffer> honoured = refresh(first);
    HttpResponse<Buffer> third = refresh(first);

    assertEquals(200, honoured.statusCode());
    JsonObject body = honoured.bodyAsJsonObject();
    assertNotNull(body.getString("access_token"));
    assertEquals(second, body.getString("refresh_token"), "whichever answer the client kept, it holds the live token");
    assertEquals(400, third.statusCode(), "honoured once only");
    assertEquals(400, refresh(second).statusCode(), "the third use was reuse: the family is gone");
  }

  @Test
  void aClientThatLostTheFirstAnswerCarriesOnWithTheSecond() {
    String first = login();
    refresh(first); // its answer never arrives
    String recovered = refresh(first).bodyAsJsonObject().getString("refresh_token");

    HttpResponse<Buffer> next = refresh(recovered);

    assertEquals(200, next.statusCode());
    assertEquals(200, refresh(next.bodyAsJsonObject().getString("refresh_token")).statusCode());
  }

  @Test
  void afterTheWindowThePreviousTokenIsReuse() {
    String first = login();
    String second = refresh(first).bodyAsJsonObject().getString("refresh_token");
    CLOCK.advance(Duration.ofSeconds(11));

    assertEquals(400, refresh(first).statusCode());
    assertEquals(400, refresh(second).statusCode());
  }

  @Test
  void onlyTheImmediatelyPrecedingTokenIsHonoured() {
    String first = login();
    String second = refresh(first).bodyAsJsonObject().getString("refresh_token");
    String third = refresh(second).bodyAsJsonObject().getString("refresh_token");

    assertEquals(400, refresh(first).statusCode(), "two generations back is reuse, even inside the window");
    assertEquals(400, refresh(third).statusCode());
  }
}
