package io.tokengate.grant;

import com.nimbusds.jwt.SignedJWT;
import io.tokengate.client.ClientRegistration;
import io.tokengate.support.Http;
import io.tokengate.support.Metrics;
import io.tokengate.support.TestClock;
import io.tokengate.support.TestGateway;
import io.vertx.core.Future;
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
import java.util.Optional;
import java.util.Set;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The refresh token grant: rotation, reuse detection, scope rules, expiry, and the concurrent double use. */
@ExtendWith(VertxExtension.class)
class RefreshTokenGrantTest {

  private static final String PASSWORD = "correct horse battery staple";
  private static final TestClock CLOCK = new TestClock();

  private static TestGateway gateway;
  private static Http http;
  private static Http management;
  private static String secret;
  private static String otherSecret;

  @BeforeAll
  static void start(Vertx vertx) {
    // No client cache: a disabled client must be refused on the next request.
    gateway = TestGateway.start(Map.of("TOKENGATE_CLIENTS_CACHE_TTL", "0s"), CLOCK);
    http = new Http(vertx, gateway.port());
    management = new Http(vertx, gateway.managementPort());
    secret = gateway.createClient("app", Set.of("password", "refresh_token"), List.of("read", "write"),
      List.of("read"));
    otherSecret = gateway.createClient("other-app", Set.of("password", "refresh_token"), List.of("read", "write"),
      List.of("read"));
    gateway.createUser("alice", PASSWORD);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static JsonObject login(String scope) {
    HttpResponse<Buffer> response = http.tokenWithBasic("app", secret,
      form("grant_type", "password", "username", "alice", "password", PASSWORD, "scope", scope));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  private static HttpResponse<Buffer> refresh(String refreshToken, String... more) {
    return http.tokenWithBasic("app", secret, refreshForm(refreshToken, more));
  }

  private static io.vertx.core.MultiMap refreshForm(String refreshToken, String... more) {
    io.vertx.core.MultiMap form = form("grant_type", "refresh_token", "refresh_token", refreshToken);
    for (int i = 0; i < more.length; i += 2) {
      form.add(more[i], more[i + 1]);
    }
    return form;
  }

  private static void assertInvalidGrant(HttpResponse<Buffer> response) {
    assertEquals(400, response.statusCode(), response.bodyAsString());
    assertEquals("invalid_grant", response.bodyAsJsonObject().getString("error"));
    assertEquals("the refresh token is invalid, expired or revoked",
      response.bodyAsJsonObject().getString("error_description"), "one answer for every refusal");
  }

  @Test
  void aPasswordGrantGivesAClientRegisteredForItARefreshToken() {
    String refreshToken = login("read write").getString("refresh_token");

    assertNotNull(refreshToken);
    assertEquals(43, refreshToken.length(), "256 random bits, base64url");
    String stored = gateway.queryString("SELECT encode(token_hash, 'hex') FROM refresh_tokens ORDER BY issued_at DESC LIMIT 1");
    assertFalse(stored.contains(refreshToken), "only its SHA-256 is stored");
  }

  @Test
  void everyRefreshReturnsANewRefreshTokenAndAFreshAccessToken() throws Exception {
    String first = login("read write").getString("refresh_token");

    JsonObject second = refresh(first).bodyAsJsonObject();
    JsonObject third = refresh(second.getString("refresh_token")).bodyAsJsonObject();

    assertNotEquals(first, second.getString("refresh_token"));
    assertNotEquals(second.getString("refresh_token"), third.getString("refresh_token"));
    assertEquals("Bearer", third.getString("token_type"));
    assertNull(third.getString("scope"), "the scope is the original one, as asked (by omission)");
    assertEquals("read write", SignedJWT.parse(third.getString("access_token")).getJWTClaimsSet().getStringClaim("scope"));
  }

  @Test
  void reusingARotatedTokenRevokesTheWholeFamilyIncludingItsNewestToken() {
    String first = login("read").getString("refresh_token");
    String second = refresh(first).bodyAsJsonObject().getString("refresh_token");
    double before = Metrics.value(management, "tokengate_refresh_tokens_total{outcome=\"reuse_detected\"}");

    assertInvalidGrant(refresh(first));
    assertInvalidGrant(refresh(second));
    assertEquals(1.0, Metrics.value(management, "tokengate_refresh_tokens_total{outcome=\"reuse_detected\"}") - before);
  }

  @Test
  void twoConcurrentRefreshesWithTheSameTokenDoNotBothSucceed() {
    for (int round = 0; round < 5; round++) {
      String token = login("read").getString("refresh_token");
      List<Future<HttpResponse<Buffer>>> race = List.of(
        http.client().post("/oauth2/token").putHeader("Authorization", Http.basic("app", secret)).sendForm(refreshForm(token)),
        http.client().post("/oauth2/token").putHeader("Authorization", Http.basic("app", secret)).sendForm(refreshForm(token)));
      Future.join(race).await();

      long succeeded = race.stream().filter(response -> response.result().statusCode() == 200).count();
      assertEquals(1, succeeded, "exactly one of two concurrent uses wins");
      race.stream().map(Future::result).filter(response -> response.statusCode() != 200)
        .forEach(RefreshTokenGrantTest::assertInvalidGrant);
    }
  }

  @Test
  void twoRetiredTokensOfOneFamilyReplayedAtOnceAreBothRefusedWithoutADeadlock() {
    for (int round = 0; round < 5; round++) {
      String first = login("read").getString("refresh_token");
      String second = refresh(first).bodyAsJsonObject().getString("refresh_token");
      refresh(second);
      List<Future<HttpResponse<Buffer>>> replays = List.of(
        http.client().post("/oauth2/token").putHeader("Authorization", Http.basic("app", secret)).sendForm(refreshForm(first)),
        http.client().post("/oauth2/token").putHeader("Authorization", Http.basic("app", secret)).sendForm(refreshForm(second)));
      Future.join(replays).await();

      replays.forEach(replay -> assertInvalidGrant(replay.result()));
    }
  }

  @Test
  void aRetiredTokenReplayedAfterItsIdleTimeoutIsStillReuse() {
    String idleSecret = gateway.register(new ClientRegistration.Request("idle-thief-app",
      Set.of("password", "refresh_token"), List.of(), List.of(), Optional.empty(), Optional.empty(),
      Optional.of(Duration.ofDays(30)), Optional.of(Duration.ofHours(1)))).generatedSecret().orElseThrow();
    String stolen = http.tokenWithBasic("idle-thief-app", idleSecret,
      form("grant_type", "password", "username", "alice", "password", PASSWORD)).bodyAsJsonObject().getString("refresh_token");
    // The thief keeps the session alive, rotating within the idle timeout...
    String thiefs = http.tokenWithBasic("idle-thief-app", idleSecret, refreshForm(stolen)).bodyAsJsonObject().getString("refresh_token");
    CLOCK.advance(Duration.ofMinutes(50));
    thiefs = http.tokenWithBasic("idle-thief-app", idleSecret, refreshForm(thiefs)).bodyAsJsonObject().getString("refresh_token");
    CLOCK.advance(Duration.ofMinutes(50));

    // ...and the victim comes back with the original, long past its idle timeout.
    assertInvalidGrant(http.tokenWithBasic("idle-thief-app", idleSecret, refreshForm(stolen)));
    assertInvalidGrant(http.tokenWithBasic("idle-thief-app", idleSecret, refreshForm(thiefs)));
  }

  @Test
  void anotherClientsRefreshTokenIsInvalidGrantAndStaysUsableByItsOwner() {
    String token = login("read").getString("refresh_token");

    assertInvalidGrant(http.tokenWithBasic("other-app", otherSecret, refreshForm(token)));
    assertEquals(200, refresh(token).statusCode());
  }

  @Test
  void aRefreshMayNarrowTheScopeAndTheNextOneStillHasTheOriginal() throws Exception {
    String token = login("read write").getString("refresh_token");

    JsonObject narrowed = refresh(token, "scope", "read").bodyAsJsonObject();
    JsonObject again = refresh(narrowed.getString("refresh_token")).bodyAsJsonObject();

    assertEquals("read", SignedJWT.parse(narrowed.getString("access_token")).getJWTClaimsSet().getStringClaim("scope"));
    assertEquals("read write", SignedJWT.parse(again.getString("access_token")).getJWTClaimsSet().getStringClaim("scope"),
      "RFC 6749 §6: the new refresh token keeps the scope of the old one");
  }

  @Test
  void wideningTheScopeIsInvalidScopeAndConsumesNothing() {
    String token = login("read").getString("refresh_token");

    HttpResponse<Buffer> widened = refresh(token, "scope", "read write");

    assertEquals(400, widened.statusCode());
    assertEquals("invalid_scope", widened.bodyAsJsonObject().getString("error"));
    assertEquals(200, refresh(token).statusCode(), "the token was not rotated by the refused request");
  }

  @Test
  void aDisabledUserCannotRefresh() {
    gateway.createUser("bob", PASSWORD);
    String token = http.tokenWithBasic("app", secret,
      form("grant_type", "password", "username", "bob", "password", PASSWORD)).bodyAsJsonObject().getString("refresh_token");
    gateway.sql("UPDATE users SET enabled = false WHERE username = $1", "bob");

    assertInvalidGrant(refresh(token));
  }

  @Test
  void aDisabledClientCannotRefresh() {
    String disabledSecret = gateway.createClient("soon-disabled", Set.of("password", "refresh_token"), List.of(), List.of());
    String token = http.tokenWithBasic("soon-disabled", disabledSecret,
      form("grant_type", "password", "username", "alice", "password", PASSWORD)).bodyAsJsonObject().getString("refresh_token");
    gateway.sql("UPDATE clients SET enabled = false WHERE client_id = $1", "soon-disabled");

    HttpResponse<Buffer> response = http.tokenWithBasic("soon-disabled", disabledSecret, refreshForm(token));

    assertEquals(401, response.statusCode());
    assertEquals("invalid_client", response.bodyAsJsonObject().getString("error"));
  }

  @Test
  void aRefreshTokenExpiresAtItsAbsoluteLifetimeWhateverTheRotations() {
    String token = login("read").getString("refresh_token");
    CLOCK.advance(Duration.ofHours(7));
    String rotated = refresh(token).bodyAsJsonObject().getString("refresh_token");
    CLOCK.advance(Duration.ofHours(1));

    assertInvalidGrant(refresh(rotated));
    assertTrue(Metrics.value(management, "tokengate_refresh_tokens_total{outcome=\"expired\"}") >= 1);
  }

  @Test
  void aClientsIdleTimeoutExpiresAnUnusedRefreshToken() {
    String idleSecret = gateway.register(new ClientRegistration.Request("idle-app", Set.of("password", "refresh_token"),
      List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.of(Duration.ofDays(30)),
      Optional.of(Duration.ofHours(1)))).generatedSecret().orElseThrow();
    String token = http.tokenWithBasic("idle-app", idleSecret,
      form("grant_type", "password", "username", "alice", "password", PASSWORD)).bodyAsJsonObject().getString("refresh_token");
    CLOCK.advance(Duration.ofMinutes(50));
    String used = http.tokenWithBasic("idle-app", idleSecret, refreshForm(token)).bodyAsJsonObject().getString("refresh_token");
    CLOCK.advance(Duration.ofMinutes(50));
    String usedAgain = http.tokenWithBasic("idle-app", idleSecret, refreshForm(used)).bodyAsJsonObject().getString("refresh_token");
    CLOCK.advance(Duration.ofMinutes(61));

    assertNotNull(usedAgain, "each use restarts the idle clock");
    assertInvalidGrant(http.tokenWithBasic("idle-app", idleSecret, refreshForm(usedAgain)));
  }

  @Test
  void unknownAndGarbageTokensAreInvalidGrant() {
    assertInvalidGrant(refresh("not-a-token"));
    assertInvalidGrant(refresh("x".repeat(2000)));
  }

  @Test
  void aClientNotRegisteredForRefreshTokensGetsNoneAndCannotUseTheGrant() {
    String passwordOnly = gateway.createClient("password-only", Set.of("password"), List.of(), List.of());

    JsonObject login = http.tokenWithBasic("password-only", passwordOnly,
      form("grant_type", "password", "username", "alice", "password", PASSWORD)).bodyAsJsonObject();
    HttpResponse<Buffer> refresh = http.tokenWithBasic("password-only", passwordOnly, refreshForm("whatever"));

    assertNull(login.getString("refresh_token"));
    assertEquals(400, refresh.statusCode());
    assertEquals("unauthorized_client", refresh.bodyAsJsonObject().getString("error"));
  }

  @Test
  void aMissingRefreshTokenIsInvalidRequest() {
    HttpResponse<Buffer> response = http.tokenWithBasic("app", secret, form("grant_type", "refresh_token"));

    assertEquals(400, response.statusCode());
    assertEquals("invalid_request", response.bodyAsJsonObject().getString("error"));
  }

}
