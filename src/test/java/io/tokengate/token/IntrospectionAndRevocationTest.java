package io.tokengate.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokengate.config.Config;
import io.tokengate.store.ExpiredRowsTable;
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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 7662 introspection and RFC 7009 revocation of both kinds of token. */
@ExtendWith(VertxExtension.class)
class IntrospectionAndRevocationTest {

  private static final String PASSWORD = "correct horse battery staple";
  private static final TestClock CLOCK = new TestClock();

  private static TestGateway gateway;
  private static Http http;
  private static String appSecret;
  private static String apiSecret;
  private static String aliceId;

  @BeforeAll
  static void start(Vertx vertx) {
    gateway = TestGateway.start(Map.of(), CLOCK);
    http = new Http(vertx, gateway.port());
    appSecret = gateway.createClient("app", Set.of("password", "refresh_token"), List.of("read", "write"), List.of("read"));
    // A resource server: it authenticates to introspect, and gets no tokens of its own.
    apiSecret = gateway.createClient("orders-api", Set.of("client_credentials"), List.of(), List.of());
    gateway.createUser("alice", PASSWORD);
    aliceId = gateway.queryString("SELECT id FROM users WHERE username = $1", "alice");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static JsonObject login() {
    return http.tokenWithBasic("app", appSecret,
      form("grant_type", "password", "username", "alice", "password", PASSWORD, "scope", "read write")).bodyAsJsonObject();
  }

  private static HttpResponse<Buffer> post(String path, String clientId, String secret, String... fields) {
    return http.client().post(path).putHeader("Authorization", Http.basic(clientId, secret)).sendForm(form(fields)).await();
  }

  private static JsonObject introspect(String token, String... more) {
    String[] fields = new String[2 + more.length];
    fields[0] = "token";
    fields[1] = token;
    System.arraycopy(more, 0, fields, 2, more.length);
    HttpResponse<Buffer> response = post("/oauth2/introspect", "orders-api", apiSecret, fields);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals("no-store", response.getHeader("Cache-Control"));
    return response.bodyAsJsonObject();
  }

  private static HttpResponse<Buffer> revoke(String clientId, String secret, String token) {
    return post("/oauth2/revoke", clientId, secret, "token", token);
  }

  @Test
  void aLiveAccessTokenIntrospectsWithItsClaims() throws Exception {
    String accessToken = login().getString("access_token");
    JWTClaimsSet claims = SignedJWT.parse(accessToken).getJWTClaimsSet();

    JsonObject result = introspect(accessToken);

    assertEquals(true, result.getBoolean("active"));
    assertEquals("Bearer", result.getString("token_type"));
    assertEquals("read write", result.getString("scope"));
    assertEquals("app", result.getString("client_id"));
    assertEquals("alice", result.getString("username"));
    assertEquals(aliceId, result.getString("sub"));
    assertEquals(gateway.config().issuer().toString(), result.getString("iss"));
    assertEquals(gateway.config().issuer().toString(), result.getString("aud"));
    assertEquals(claims.getExpirationTime().toInstant().getEpochSecond(), result.getLong("exp"));
    assertEquals(claims.getIssueTime().toInstant().getEpochSecond(), result.getLong("iat"));
    assertEquals(claims.getJWTID(), result.getString("jti"));
  }

  @Test
  void aClientsOwnTokenIntrospectsWithoutAUsername() {
    String accessToken = post("/oauth2/token", "orders-api", apiSecret, "grant_type", "client_credentials")
      .bodyAsJsonObject().getString("access_token");

    JsonObject result = introspect(accessToken);

    assertEquals(true, result.getBoolean("active"));
    assertEquals("orders-api", result.getString("sub"));
    assertFalse(result.containsKey("username"));
  }

  @Test
  void anythingNotAValidTokenOfOursIsJustInactive() throws Exception {
    String accessToken = login().getString("access_token");
    String[] parts = accessToken.split("\\.");
    ECKey foreignKey = new ECKeyGenerator(Curve.P_256)
      .keyID(SignedJWT.parse(accessToken).getHeader().getKeyID()).generate();
    SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt"))
      .keyID(foreignKey.getKeyID()).build(), SignedJWT.parse(accessToken).getJWTClaimsSet());
    forged.sign(new ECDSASigner(foreignKey));

    for (String token : List.of("garbage", "a.b.c", parts[0] + "." + parts[1] + ".", forged.serialize(),
      parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 2) + "AA")) {
      assertEquals(new JsonObject().put("active", false), introspect(token), token);
    }
  }

  @Test
  void anExpiredAccessTokenIsInactive() {
    String accessToken = login().getString("access_token");
    CLOCK.advance(Duration.ofMinutes(6));

    assertEquals(false, introspect(accessToken).getBoolean("active"));
  }

  @Test
  void aRefreshTokenIsActiveOnlyForTheClientItWasIssuedTo() {
    String refreshToken = login().getString("refresh_token");

    JsonObject forOwner = post("/oauth2/introspect", "app", appSecret, "token", refreshToken,
      "token_type_hint", "refresh_token").bodyAsJsonObject();
    JsonObject forOthers = introspect(refreshToken, "token_type_hint", "refresh_token");

    assertEquals(true, forOwner.getBoolean("active"));
    assertEquals("refresh_token", forOwner.getString("token_type"));
    assertEquals("read write", forOwner.getString("scope"));
    assertEquals("alice", forOwner.getString("username"));
    assertEquals(false, forOthers.getBoolean("active"));
  }

  @Test
  void theHintIsHonouredButNotTrusted() {
    JsonObject tokens = login();

    assertEquals(true, introspect(tokens.getString("access_token"), "token_type_hint", "refresh_token").getBoolean("active"));
    assertEquals(true, post("/oauth2/introspect", "app", appSecret, "token", tokens.getString("refresh_token"),
      "token_type_hint", "access_token").bodyAsJsonObject().getBoolean("active"));
    assertEquals(true, introspect(tokens.getString("access_token"), "token_type_hint", "id_token").getBoolean("active"));
  }

  @Test
  void onlyAuthenticatedClientsMayIntrospectOrRevoke() {
    String accessToken = login().getString("access_token");

    for (String path : List.of("/oauth2/introspect", "/oauth2/revoke")) {
      HttpResponse<Buffer> anonymous = http.client().post(path).sendForm(form("token", accessToken)).await();
      HttpResponse<Buffer> wrongSecret = post(path, "orders-api", "wrong", "token", accessToken);
      for (HttpResponse<Buffer> response : List.of(anonymous, wrongSecret)) {
        assertEquals(401, response.statusCode(), path);
        assertEquals("invalid_client", response.bodyAsJsonObject().getString("error"));
        assertTrue(response.getHeader("WWW-Authenticate").startsWith("Basic"));
      }
    }
    assertEquals(true, introspect(accessToken).getBoolean("active"), "nothing was revoked");
  }

  @Test
  void theTokenParameterIsRequiredAndTheEdgeRulesApply() {
    HttpResponse<Buffer> missing = post("/oauth2/introspect", "orders-api", apiSecret, "token_type_hint", "access_token");
    HttpResponse<Buffer> get = http.client().get("/oauth2/revoke").send().await();

    assertEquals(400, missing.statusCode());
    assertEquals("invalid_request", missing.bodyAsJsonObject().getString("error"));
    assertEquals(405, get.statusCode());
  }

  @Test
  void aRevokedAccessTokenIntrospectsInactive() {
    String accessToken = login().getString("access_token");

    HttpResponse<Buffer> revoked = revoke("app", appSecret, accessToken);

    assertEquals(200, revoked.statusCode());
    assertEquals(false, introspect(accessToken).getBoolean("active"));
    assertEquals(200, revoke("app", appSecret, accessToken).statusCode(), "revoking twice is fine");
  }

  @Test
  void revokingARefreshTokenEndsItsWholeFamily() {
    String first = login().getString("refresh_token");
    MultiMap refresh = form("grant_type", "refresh_token", "refresh_token", first);
    String second = http.tokenWithBasic("app", appSecret, refresh).bodyAsJsonObject().getString("refresh_token");

    // Revoking the first (already rotated) token ends the grant, the newest token included.
    assertEquals(200, revoke("app", appSecret, first).statusCode());

    HttpResponse<Buffer> refused = http.tokenWithBasic("app", appSecret,
      form("grant_type", "refresh_token", "refresh_token", second));
    assertEquals(400, refused.statusCode());
    assertEquals("invalid_grant", refused.bodyAsJsonObject().getString("error"));
    assertEquals(false, post("/oauth2/introspect", "app", appSecret, "token", second).bodyAsJsonObject()
      .getBoolean("active"));
  }

  @Test
  void unknownTokensAreAnswered200AsTheRfcSays() {
    assertEquals(200, revoke("app", appSecret, "never-issued").statusCode());
    assertEquals(200, revoke("app", appSecret, "eyJhbGciOiJub25lIn0.e30.").statusCode());
  }

  @Test
  void anotherClientsDeadTokenIsJustNothingToRevoke() {
    JsonObject tokens = login();
    revoke("app", appSecret, tokens.getString("refresh_token"));

    assertEquals(200, revoke("orders-api", apiSecret, tokens.getString("refresh_token")).statusCode(),
      "revoked already: the answer does not tell whose it was");
  }

  @Test
  void revokingARefreshTokenMakesTheAccessTokensOfItsFamilyInactive() {
    JsonObject tokens = login();
    assertEquals(true, introspect(tokens.getString("access_token")).getBoolean("active"));

    revoke("app", appSecret, tokens.getString("refresh_token"));

    assertEquals(false, introspect(tokens.getString("access_token")).getBoolean("active"),
      "RFC 7009 §2.1: access tokens of the same grant go too");
  }

  @Test
  void aDisabledClientsRefreshTokensStopAtOnceEvenWhileTheClientIsCached() {
    String cachedSecret = gateway.createClient("cached-app", Set.of("password", "refresh_token"), List.of(), List.of());
    String refreshToken = http.tokenWithBasic("cached-app", cachedSecret,
      form("grant_type", "password", "username", "alice", "password", PASSWORD)).bodyAsJsonObject().getString("refresh_token");

    gateway.sql("UPDATE clients SET enabled = false WHERE client_id = $1", "cached-app");
    HttpResponse<Buffer> refresh = http.tokenWithBasic("cached-app", cachedSecret,
      form("grant_type", "refresh_token", "refresh_token", refreshToken));

    assertEquals(400, refresh.statusCode(), "the client record is still cached, its tokens are not");
    assertEquals("invalid_grant", refresh.bodyAsJsonObject().getString("error"));
  }

  @Test
  void aDisabledUsersAccessTokensIntrospectInactive() {
    gateway.createUser("leaver", PASSWORD);
    String accessToken = http.tokenWithBasic("app", appSecret,
      form("grant_type", "password", "username", "leaver", "password", PASSWORD)).bodyAsJsonObject().getString("access_token");
    assertEquals(true, introspect(accessToken).getBoolean("active"));

    gateway.sql("UPDATE users SET enabled = false WHERE username = $1", "leaver");

    assertEquals(false, introspect(accessToken).getBoolean("active"));
  }

  @Test
  void aClientCannotRevokeAnotherClientsTokens() {
    JsonObject tokens = login();

    for (String token : List.of(tokens.getString("access_token"), tokens.getString("refresh_token"))) {
      HttpResponse<Buffer> response = revoke("orders-api", apiSecret, token);
      assertEquals(400, response.statusCode());
      assertEquals("unauthorized_client", response.bodyAsJsonObject().getString("error"));
    }
    assertEquals(true, introspect(tokens.getString("access_token")).getBoolean("active"));
    assertEquals(200, http.tokenWithBasic("app", appSecret,
      form("grant_type", "refresh_token", "refresh_token", tokens.getString("refresh_token"))).statusCode());
  }

  @Test
  void expiredRowsArePurgedInBatches() {
    String accessToken = login().getString("access_token");
    revoke("app", appSecret, accessToken);
    login();
    ExpiredTokenPurger purger = new ExpiredTokenPurger(new ExpiredRowsTable(gateway.pool()), CLOCK,
      new Config.Maintenance(Duration.ofMinutes(1), 10), gateway.config().lockout(), new SimpleMeterRegistry());
    int families = Integer.parseInt(gateway.queryString("SELECT count(*) FROM refresh_token_families"));
    assertTrue(families > 0);
    // A login's place in its username's lockout count leaves a row with no failure, forgotten like failures are.
    int lockoutRows = Integer.parseInt(gateway.queryString("SELECT count(*) FROM login_failures"));
    OffsetDateTime soon = OffsetDateTime.ofInstant(CLOCK.instant().plus(Duration.ofMinutes(5)), ZoneOffset.UTC);
    for (int i = 0; i < 12; i++) {
      gateway.sql("INSERT INTO client_assertion_jti (client_id, jti, expires_at) VALUES ('app', $1, $2)", "a" + i, soon);
    }
    gateway.sql("INSERT INTO dpop_proof_jti (jkt, jti, expires_at) VALUES ('k', 'p', $1)", soon);

    assertEquals(0, purger.purge().await(), "nothing has expired yet");
    CLOCK.advance(Duration.ofHours(9));
    int purged = purger.purge().await();

    assertEquals(families + 1 + 12 + 1 + lockoutRows, purged,
      "every family (batch after batch of 10), the revoked jti, the used assertion and proof ids, the lockout rows");
    assertEquals("0", gateway.queryString("SELECT count(*) FROM client_assertion_jti"));
    assertEquals("0", gateway.queryString("SELECT count(*) FROM dpop_proof_jti"));
    assertEquals("0", gateway.queryString("SELECT count(*) FROM refresh_token_families"));
    assertEquals("0", gateway.queryString("SELECT count(*) FROM refresh_tokens"), "tokens go with their family");
    assertEquals("0", gateway.queryString("SELECT count(*) FROM revoked_access_tokens"));
  }
}
