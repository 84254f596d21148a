package io.tokengate.claims;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tokengate.client.ClientTokenProfile;
import io.tokengate.store.ClientStore;
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
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Claims mapped from user attributes and groups, scope registrations with group policy, on the real gateway. */
@ExtendWith(VertxExtension.class)
class ClaimsAndScopePolicyTest {

  private static final String PASSWORD = "correct horse battery staple";

  @TempDir
  static Path directory;
  private static TestGateway gateway;
  private static Http http;
  private static String secret;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    Path yaml = Files.writeString(directory.resolve("tokengate.yaml"), """
      clients:
        cache_ttl: 0s
      claims:
        access_token:
          email: mail
          groups: groups
      """);
    gateway = TestGateway.start(Map.of("TOKENGATE_CONFIG", yaml.toString()));
    http = new Http(vertx, gateway.port());
    secret = gateway.createClient("app", Set.of("password", "refresh_token"), List.of("read", "admin", "reports"),
      List.of("read", "admin"));
    new ClientStore(gateway.pool()).setTokenProfile("app", new ClientTokenProfile(
      ClaimMapping.parse(List.of("tenant=tenant_id")), false, Optional.empty())).await();
    gateway.createUser("alice", PASSWORD);
    gateway.createUser("bob", PASSWORD);
    gateway.sql("UPDATE users SET attributes = '{\"mail\":\"alice@example.com\",\"tenant_id\":\"t1\","
      + "\"department\":\"finance\",\"salary\":\"secret\"}', groups = '{staff,admins}' WHERE username = 'alice'");
    gateway.sql("UPDATE users SET attributes = '{\"mail\":[\"bob@example.com\",\"b@example.com\"]}', "
      + "groups = '{staff}' WHERE username = 'bob'");
    gateway.sql("INSERT INTO scopes (name, required_groups) VALUES ('admin', '{admins}')");
    gateway.sql("INSERT INTO scopes (name, claims) VALUES ('reports', '{\"department\":\"department\"}')");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static HttpResponse<Buffer> login(String username, String... more) {
    List<String> fields = new java.util.ArrayList<>(List.of("grant_type", "password", "username", username,
      "password", PASSWORD));
    fields.addAll(List.of(more));
    return http.tokenWithBasic("app", secret, form(fields.toArray(String[]::new)));
  }

  private static JWTClaimsSet claims(HttpResponse<Buffer> response) throws Exception {
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return SignedJWT.parse(response.bodyAsJsonObject().getString("access_token")).getJWTClaimsSet();
  }

  @Test
  void mappedAttributesAndGroupsAreClaimsAndNothingElseIs() throws Exception {
    JWTClaimsSet claims = claims(login("alice", "scope", "read"));

    assertEquals("alice@example.com", claims.getStringClaim("email"));
    assertEquals(List.of("admins", "staff"), claims.getStringListClaim("groups"));
    assertEquals("t1", claims.getStringClaim("tenant"), "the client's own mapping");
    assertNull(claims.getClaim("department"), "a scope's claim only when the scope is granted");
    assertNull(claims.getClaim("salary"));
    assertNull(claims.getClaim("mail"));
    assertFalse(claims.toString().contains("argon2"), "never a password hash");
  }

  @Test
  void introspectionAnswersWithTheSameClaimsAsTheAccessToken() throws Exception {
    String token = login("alice", "scope", "read reports").bodyAsJsonObject().getString("access_token");
    JsonObject answer = http.client().post("/oauth2/introspect").putHeader("Authorization", Http.basic("app", secret))
      .sendForm(form("token", token)).await().bodyAsJsonObject();

    assertTrue(answer.getBoolean("active"), answer.encode());
    assertEquals("alice@example.com", answer.getString("email"));
    assertEquals("finance", answer.getString("department"));
    assertEquals("[\"admins\",\"staff\"]", answer.getJsonArray("groups").encode());
    assertEquals(SignedJWT.parse(token).getJWTClaimsSet().getSubject(), answer.getString("sub"));
  }

  @Test
  void aScopesClaimsComeWithTheScope() throws Exception {
    assertEquals("finance", claims(login("alice", "scope", "read reports")).getStringClaim("department"));
  }

  @Test
  void severalValuesAreAnArrayAndAMissingAttributeIsNoClaim() throws Exception {
    JWTClaimsSet claims = claims(login("bob", "scope", "read"));

    assertEquals(List.of("bob@example.com", "b@example.com"), claims.getStringListClaim("email"));
    assertFalse(claims.getClaims().containsKey("tenant"));
  }

  @Test
  void aScopeTheUserLacksTheGroupForIsDroppedAndTheResponseSaysWhatWasGranted() throws Exception {
    HttpResponse<Buffer> response = login("bob", "scope", "read admin");

    assertEquals("read", response.bodyAsJsonObject().getString("scope"));
    assertEquals("read", claims(response).getStringClaim("scope"));
    assertEquals("read admin", claims(login("alice", "scope", "read admin")).getStringClaim("scope"));
  }

  @Test
  void aDefaultScopeTheUserLacksTheGroupForIsDroppedToo() throws Exception {
    HttpResponse<Buffer> response = login("bob");

    assertEquals("read", response.bodyAsJsonObject().getString("scope"));
    assertEquals("read", claims(response).getStringClaim("scope"));
  }

  @Test
  void whenNoRequestedScopeRemainsItIsInvalidScope() {
    HttpResponse<Buffer> response = login("bob", "scope", "admin");

    assertEquals(400, response.statusCode());
    assertEquals("invalid_scope", response.bodyAsJsonObject().getString("error"));
  }

  @Test
  void aScopeOutsideTheClientsRegistrationIsStillInvalidScope() {
    HttpResponse<Buffer> response = login("alice", "scope", "read delete");

    assertEquals(400, response.statusCode());
    assertEquals("invalid_scope", response.bodyAsJsonObject().getString("error"));
  }

  @Test
  void aRefreshReChecksGroupsAndNarrowsButNeverWidens() throws Exception {
    gateway.createUser("carol", PASSWORD);
    gateway.sql("UPDATE users SET groups = '{admins}' WHERE username = 'carol'");
    JsonObject first = login("carol", "scope", "read admin").bodyAsJsonObject();
    assertEquals(null, first.getString("scope"), "granted as asked");

    HttpResponse<Buffer> wider = http.tokenWithBasic("app", secret, form("grant_type", "refresh_token",
      "refresh_token", first.getString("refresh_token"), "scope", "read admin reports"));
    assertEquals(400, wider.statusCode());
    assertEquals("invalid_scope", wider.bodyAsJsonObject().getString("error"));

    gateway.sql("UPDATE users SET groups = '{}' WHERE username = 'carol'");
    HttpResponse<Buffer> refreshed = http.tokenWithBasic("app", secret, form("grant_type", "refresh_token",
      "refresh_token", first.getString("refresh_token")));
    assertEquals("read", refreshed.bodyAsJsonObject().getString("scope"));
    assertEquals("read", claims(refreshed).getStringClaim("scope"));

    HttpResponse<Buffer> onlyAdmin = http.tokenWithBasic("app", secret, form("grant_type", "refresh_token",
      "refresh_token", refreshed.bodyAsJsonObject().getString("refresh_token"), "scope", "admin"));
    assertEquals(400, onlyAdmin.statusCode());
    assertEquals("invalid_scope", onlyAdmin.bodyAsJsonObject().getString("error"));
    // Nothing was written: the token presented is still the live one.
    HttpResponse<Buffer> again = http.tokenWithBasic("app", secret, form("grant_type", "refresh_token",
      "refresh_token", refreshed.bodyAsJsonObject().getString("refresh_token")));
    assertEquals(200, again.statusCode(), again.bodyAsString());
  }

  @Test
  void aClientIdShapedLikeAUuidIsRefusedAtRegistration() {
    RuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () ->
      gateway.createClient("0d3c1b9e-8a44-4f6e-9d6a-2f4b1c7e5a10", Set.of("client_credentials"), List.of(),
        List.of()));
    assertTrue(refused.getMessage().contains("RFC 9068"), refused.getMessage());
  }
}
