package io.tokengate.client;

import io.tokengate.support.Http;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

@ExtendWith(VertxExtension.class)
class ClientAuthenticationTest {

  private static final String CHALLENGE = "Basic realm=\"tokengate\"";
  private static final String PASSWORD = "correct horse battery staple";
  /** A chosen secret with every character Basic credentials must form-encode (RFC 6749 §2.3.1). */
  private static final String AWKWARD_SECRET = "p@ss:w%rd+with spaces&ünïcödé=";

  private static TestGateway gateway;
  private static Http http;
  private static String secret;

  @BeforeAll
  static void start(Vertx vertx) {
    gateway = TestGateway.start();
    http = new Http(vertx, gateway.port());
    secret = gateway.createClient("app", Set.of("password"), List.of("read"), List.of());
    gateway.createClient("service", Set.of("client_credentials"), List.of(), List.of());
    gateway.register(new ClientRegistration.Request("app:with/odd+chars%?", Set.of("password"), List.of(), List.of(),
      Optional.of(AWKWARD_SECRET), Optional.empty()));
    gateway.createUser("alice", PASSWORD);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static void assertInvalidClientWithChallenge(HttpResponse<Buffer> response) {
    assertEquals(401, response.statusCode());
    assertEquals(CHALLENGE, response.getHeader("WWW-Authenticate"));
    assertEquals("invalid_client", response.bodyAsJsonObject().getString("error"));
  }

  private static void assertError(int status, String error, HttpResponse<Buffer> response) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertEquals(error, response.bodyAsJsonObject().getString("error"));
  }

  private static HttpResponse<Buffer> withAuthorization(String authorization, String... fields) {
    return http.client().post("/oauth2/token").putHeader("Authorization", authorization).sendForm(form(fields)).await();
  }

  @Test
  void basicCredentialsAreFormDecodedBeforeTheyAreCompared() {
    HttpResponse<Buffer> response = http.tokenWithBasic("app:with/odd+chars%?", AWKWARD_SECRET,
      form("grant_type", "password", "username", "alice", "password", PASSWORD));

    assertEquals(200, response.statusCode(), response.bodyAsString());
  }

  @Test
  void aChosenSecretWorksWithPostAuthenticationToo() {
    HttpResponse<Buffer> response = http.token(form("grant_type", "password", "username", "alice",
      "password", PASSWORD, "client_id", "app:with/odd+chars%?", "client_secret", AWKWARD_SECRET));

    assertEquals(200, response.statusCode(), response.bodyAsString());
  }

  @Test
  void aPublicClientThatSendsOnlyItsIdIsRefused() {
    HttpResponse<Buffer> response = http.token(form("grant_type", "password", "username", "alice",
      "password", PASSWORD, "client_id", "app"));

    assertInvalidClientWithChallenge(response);
  }

  @Test
  void noClientAuthenticationAtAllIsInvalidClient() {
    assertInvalidClientWithChallenge(http.token(form("grant_type", "password", "username", "alice", "password", PASSWORD)));
  }

  @Test
  void wrongSecretWithBasicIs401WithAChallenge() {
    assertInvalidClientWithChallenge(http.tokenWithBasic("app", secret + "x",
      form("grant_type", "password", "username", "alice", "password", PASSWORD)));
  }

  @Test
  void wrongSecretWithPostIsInvalidClient() {
    assertInvalidClientWithChallenge(http.token(form("grant_type", "password", "username", "alice",
      "password", PASSWORD, "client_id", "app", "client_secret", "wrong")));
  }

  @Test
  void unknownAndDisabledClientsFailExactlyLikeAWrongSecret() {
    gateway.createClient("retired", Set.of("password"), List.of(), List.of());
    gateway.sql("UPDATE clients SET enabled = false WHERE client_id = $1", "retired");
    HttpResponse<Buffer> wrongSecret = http.tokenWithBasic("app", "wrong", form("grant_type", "password"));

    for (String clientId : List.of("no-such-client", "retired")) {
      HttpResponse<Buffer> response = http.tokenWithBasic(clientId, "wrong", form("grant_type", "password"));
      assertInvalidClientWithChallenge(response);
      assertEquals(wrongSecret.bodyAsString(), response.bodyAsString());
    }
  }

  @Test
  void usingTwoAuthenticationMethodsIsInvalidRequest() {
    HttpResponse<Buffer> response = http.tokenWithBasic("app", secret, form("grant_type", "password",
      "username", "alice", "password", PASSWORD, "client_id", "app", "client_secret", secret));

    assertError(400, "invalid_request", response);
  }

  @Test
  void aClientIdParameterMayAccompanyBasicOnlyIfItIsTheSameClient() {
    assertEquals(200, http.tokenWithBasic("app", secret, form("grant_type", "password",
      "username", "alice", "password", PASSWORD, "client_id", "app")).statusCode());
    assertError(400, "invalid_request", http.tokenWithBasic("app", secret, form("grant_type", "password",
      "username", "alice", "password", PASSWORD, "client_id", "service")));
  }

  @Test
  void malformedBasicCredentialsAreInvalidClient() {
    String noColon = "Basic " + Base64.getEncoder().encodeToString("app".getBytes(StandardCharsets.UTF_8));
    String badPercent = "Basic " + Base64.getEncoder().encodeToString("app:%zz".getBytes(StandardCharsets.UTF_8));
    for (String header : List.of("Basic !!!not-base64!!!", "Basic", noColon, badPercent)) {
      assertInvalidClientWithChallenge(withAuthorization(header, "grant_type", "password"));
    }
  }

  @Test
  void anotherAuthorizationSchemeIsInvalidClient() {
    assertInvalidClientWithChallenge(withAuthorization("Bearer abc.def.ghi", "grant_type", "password"));
  }

  @Test
  void theBasicSchemeNameIsCaseInsensitive() {
    String header = Http.basic("app", secret).replace("Basic", "bAsIc");
    assertEquals(200, withAuthorization(header, "grant_type", "password", "username", "alice", "password", PASSWORD)
      .statusCode());
  }

  @Test
  void aClientNotRegisteredForThePasswordGrantIsUnauthorizedClient() {
    String serviceSecret = gateway.createClient("batch-job", Set.of("client_credentials"), List.of(), List.of());

    HttpResponse<Buffer> response = http.tokenWithBasic("batch-job", serviceSecret,
      form("grant_type", "password", "username", "alice", "password", PASSWORD));

    assertError(400, "unauthorized_client", response);
    assertNull(response.getHeader("WWW-Authenticate"));
  }

  @Test
  void aGeneratedSecretIsStoredOnlyAsItsSha256AndAChosenOneAsArgon2id() {
    String generated = gateway.createClient("hashed", Set.of("password"), List.of(), List.of());

    String storedGenerated = gateway.queryString("SELECT secret_hash FROM clients WHERE client_id = $1", "hashed");
    String storedChosen = gateway.queryString("SELECT secret_hash FROM clients WHERE client_id = $1", "app:with/odd+chars%?");

    assertEquals(43, generated.length(), "256 bits, base64url");
    assertTrue(storedGenerated.startsWith("$sha256$"));
    assertFalse(storedGenerated.contains(generated));
    assertTrue(storedChosen.startsWith("$argon2id$v=19$m=7168,t=5,p=1$"));
  }
}
