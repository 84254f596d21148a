package io.tokengate.grant;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tokengate.support.Http;
import io.tokengate.support.Metrics;
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

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class PasswordGrantTest {

  private static final String CLIENT = "legacy-app";
  private static final String PASSWORD = "correct horse battery staple";

  private static TestGateway gateway;
  private static Http http;
  private static String secret;
  private static Vertx vertxForMetrics;

  @BeforeAll
  static void start(Vertx vertx) {
    vertxForMetrics = vertx;
    gateway = TestGateway.start();
    http = new Http(vertx, gateway.port());
    secret = gateway.createClient(CLIENT, Set.of("password"), List.of("read", "write", "admin"), List.of("read"));
    gateway.createUser("alice", PASSWORD);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static HttpResponse<Buffer> login(String username, String password, String... more) {
    String[] fields = new String[6 + more.length];
    System.arraycopy(new String[] {"grant_type", "password", "username", username, "password", password}, 0, fields, 0, 6);
    System.arraycopy(more, 0, fields, 6, more.length);
    return http.tokenWithBasic(CLIENT, secret, form(fields));
  }

  @Test
  void passwordGrantWithBasicAuthenticationIssuesABearerToken() {
    HttpResponse<Buffer> response = login("alice", PASSWORD);

    assertEquals(200, response.statusCode());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals("Bearer", body.getString("token_type"));
    assertEquals(300, body.getLong("expires_in"));
    assertNotNull(body.getString("access_token"));
    assertFalse(body.containsKey("refresh_token"), "this client is not configured for refresh tokens");
  }

  @Test
  void passwordGrantWithPostAuthenticationIssuesABearerToken() {
    HttpResponse<Buffer> response = http.token(form("grant_type", "password", "username", "alice",
      "password", PASSWORD, "client_id", CLIENT, "client_secret", secret));

    assertEquals(200, response.statusCode());
    assertEquals("Bearer", response.bodyAsJsonObject().getString("token_type"));
  }

  @Test
  void tokenResponsesAreNeverCached() {
    for (HttpResponse<Buffer> response : List.of(login("alice", PASSWORD), login("alice", "wrong password"))) {
      assertEquals("no-store", response.getHeader("Cache-Control"));
      assertEquals("no-cache", response.getHeader("Pragma"));
      assertTrue(response.getHeader("Content-Type").startsWith("application/json"));
    }
  }

  @Test
  void accessTokenIsAnRfc9068JwtThatVerifiesAgainstThePublishedJwks() throws Exception {
    Instant before = Instant.now().minusSeconds(1);
    String token = login("alice", PASSWORD, "scope", "read write").bodyAsJsonObject().getString("access_token");
    JWKSet jwks = JWKSet.parse(http.get("/oauth2/jwks").bodyAsString());

    SignedJWT jwt = SignedJWT.parse(token);
    assertEquals(new JOSEObjectType("at+jwt"), jwt.getHeader().getType());
    assertEquals(JWSAlgorithm.ES256, jwt.getHeader().getAlgorithm());
    ECKey key = (ECKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
    assertNotNull(key, "the token's kid is published");
    assertTrue(jwt.verify(new ECDSAVerifier(key)));

    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    String issuer = gateway.config().issuer().toString();
    assertEquals(issuer, claims.getIssuer());
    assertEquals(List.of(issuer), claims.getAudience());
    assertEquals(CLIENT, claims.getStringClaim("client_id"));
    assertEquals("read write", claims.getStringClaim("scope"));
    assertNotNull(claims.getJWTID());
    assertFalse(claims.getSubject().equals("alice"), "sub is the stable user id, not the username");
    assertFalse(claims.getIssueTime().toInstant().isBefore(before));
    assertEquals(Duration.ofMinutes(5),
      Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()));
  }

  @Test
  void everyTokenHasItsOwnJti() throws Exception {
    String first = login("alice", PASSWORD).bodyAsJsonObject().getString("access_token");
    String second = login("alice", PASSWORD).bodyAsJsonObject().getString("access_token");
    assertFalse(SignedJWT.parse(first).getJWTClaimsSet().getJWTID()
      .equals(SignedJWT.parse(second).getJWTClaimsSet().getJWTID()));
  }

  @Test
  void defaultScopesApplyWhenNoneIsRequestedAndAreReturned() throws Exception {
    JsonObject body = login("alice", PASSWORD).bodyAsJsonObject();

    assertEquals("read", body.getString("scope"), "the granted scope differs from the (empty) request");
    assertEquals("read", SignedJWT.parse(body.getString("access_token")).getJWTClaimsSet().getStringClaim("scope"));
  }

  @Test
  void anEmptyScopeParameterCountsAsNoScope() {
    JsonObject body = login("alice", PASSWORD, "scope", "").bodyAsJsonObject();
    assertEquals("read", body.getString("scope"));
  }

  @Test
  void grantedScopeIsNotEchoedWhenItIsWhatWasRequested() {
    JsonObject body = login("alice", PASSWORD, "scope", "write read write").bodyAsJsonObject();
    assertNull(body.getString("scope"));
  }

  @Test
  void scopeTheClientMayNotHaveIsInvalidScope() {
    HttpResponse<Buffer> response = login("alice", PASSWORD, "scope", "read delete");

    assertEquals(400, response.statusCode());
    assertEquals("invalid_scope", response.bodyAsJsonObject().getString("error"));
  }

  @Test
  void malformedScopeIsInvalidScope() {
    HttpResponse<Buffer> response = login("alice", PASSWORD, "scope", "read \"write\"");

    assertEquals(400, response.statusCode());
    assertEquals("invalid_scope", response.bodyAsJsonObject().getString("error"));
  }

  @Test
  void wrongPasswordIsInvalidGrant() {
    HttpResponse<Buffer> response = login("alice", "not the password");

    assertEquals(400, response.statusCode());
    assertEquals("invalid_grant", response.bodyAsJsonObject().getString("error"));
  }

  @Test
  void unknownAndDisabledUsersAreAnsweredExactlyLikeAWrongPassword() {
    gateway.createUser("mallory", PASSWORD);
    gateway.sql("UPDATE users SET enabled = false WHERE username = $1", "mallory");

    HttpResponse<Buffer> wrongPassword = login("alice", "not the password");
    HttpResponse<Buffer> unknown = login("nobody", PASSWORD);
    HttpResponse<Buffer> disabled = login("mallory", PASSWORD);

    for (HttpResponse<Buffer> response : List.of(unknown, disabled)) {
      assertEquals(wrongPassword.statusCode(), response.statusCode());
      assertEquals(wrongPassword.bodyAsString(), response.bodyAsString());
    }
  }

  @Test
  void anUnknownUserCostsExactlyOnePasswordHashLikeAKnownOne() {
    Http management = new Http(vertxForMetrics, gateway.managementPort());
    double before = Metrics.value(management, "tokengate_hashing_duration_seconds_count");
    login("nobody-at-all", PASSWORD);
    double afterUnknown = Metrics.value(management, "tokengate_hashing_duration_seconds_count");
    login("alice", "not the password");
    double afterWrong = Metrics.value(management, "tokengate_hashing_duration_seconds_count");

    assertEquals(1.0, afterUnknown - before);
    assertEquals(1.0, afterWrong - afterUnknown);
  }

  @Test
  void usernamesAreNormalizedToNfcBeforeLookup() {
    gateway.createUser("Jos\u00e9", PASSWORD);

    assertEquals(200, login("Jose\u0301", PASSWORD).statusCode(), "decomposed é finds the precomposed user");
    assertEquals(200, login("Jos\u00e9", PASSWORD).statusCode());
  }

  @Test
  void missingUsernameOrPasswordIsInvalidRequest() {
    HttpResponse<Buffer> noPassword = http.tokenWithBasic(CLIENT, secret, form("grant_type", "password", "username", "alice"));
    HttpResponse<Buffer> noUsername = http.tokenWithBasic(CLIENT, secret, form("grant_type", "password", "password", PASSWORD));

    for (HttpResponse<Buffer> response : List.of(noPassword, noUsername)) {
      assertEquals(400, response.statusCode());
      assertEquals("invalid_request", response.bodyAsJsonObject().getString("error"));
    }
  }

  @Test
  void overlongUsernameOrPasswordIsInvalidRequest() {
    int usernameLimit = gateway.config().limits().usernameMaxLength();
    int passwordLimit = gateway.config().limits().passwordMaxLength();

    assertEquals("invalid_request", login("a".repeat(usernameLimit + 1), PASSWORD).bodyAsJsonObject().getString("error"));
    assertEquals("invalid_request", login("alice", "p".repeat(passwordLimit + 1)).bodyAsJsonObject().getString("error"));
  }

  @Test
  void theClientsOwnAccessTokenLifetimeOverridesTheDefault() throws Exception {
    String clientSecret = gateway.register(new io.tokengate.client.ClientRegistration.Request("short-lived",
        Set.of("password"), List.of(), List.of(), java.util.Optional.empty(), java.util.Optional.of(Duration.ofMinutes(10))))
      .generatedSecret().orElseThrow();

    JsonObject body = http.tokenWithBasic("short-lived", clientSecret,
      form("grant_type", "password", "username", "alice", "password", PASSWORD)).bodyAsJsonObject();

    assertEquals(600, body.getLong("expires_in"));
    assertNull(body.getString("scope"), "no scope asked, none granted");
    assertNull(SignedJWT.parse(body.getString("access_token")).getJWTClaimsSet().getClaim("scope"));
  }
}
