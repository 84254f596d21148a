package io.tokengate.http;

import io.tokengate.support.Http;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The edge of the token endpoint: every malformed request gets the right OAuth error and status, never a 500. */
@ExtendWith(VertxExtension.class)
class TokenRequestValidationTest {

  private static final String FORM = "application/x-www-form-urlencoded";
  private static final String PASSWORD = "correct horse battery staple";

  private static TestGateway gateway;
  private static Http http;
  private static String secret;
  private static String validBody;

  @BeforeAll
  static void start(Vertx vertx) {
    gateway = TestGateway.start();
    http = new Http(vertx, gateway.port());
    secret = gateway.createClient("app", Set.of("password"), List.of("read"), List.of());
    gateway.createUser("alice", PASSWORD);
    validBody = "grant_type=password&username=alice&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8)
      + "&client_id=app&client_secret=" + secret;
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static void assertError(int status, String error, HttpResponse<Buffer> response) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertEquals(error, response.bodyAsJsonObject().getString("error"));
    assertTrue(response.bodyAsJsonObject().containsKey("error_description"));
    assertEquals("no-store", response.getHeader("Cache-Control"));
  }

  @Test
  void theValidBaselineRequestSucceeds() {
    assertEquals(200, http.tokenRaw(FORM, validBody).statusCode());
    assertEquals(200, http.tokenRaw(FORM + "; charset=UTF-8", validBody).statusCode());
  }

  @Test
  void methodsOtherThanPostAre405WithAllowPost() {
    for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH)) {
      HttpResponse<Buffer> response = http.client().request(method, "/oauth2/token").send().await();
      assertError(405, "invalid_request", response);
      assertEquals("POST", response.getHeader("Allow"));
    }
  }

  @Test
  void bodiesThatAreNotUrlencodedFormsAreInvalidRequest() {
    assertError(400, "invalid_request", http.tokenRaw("application/json", "{\"grant_type\":\"password\"}"));
    assertError(400, "invalid_request", http.tokenRaw(null, validBody));
    assertError(400, "invalid_request", http.tokenRaw("multipart/form-data; boundary=x", validBody));
    assertError(400, "invalid_request", http.tokenRaw(FORM + "; charset=ISO-8859-1", validBody));
  }

  @Test
  void aRepeatedParameterIsInvalidRequest() {
    assertError(400, "invalid_request", http.tokenRaw(FORM, validBody + "&username=bob"));
    assertError(400, "invalid_request", http.tokenRaw(FORM, validBody + "&scope=read&scope="));
  }

  @Test
  void parametersInTheQueryStringAreRefused() {
    HttpResponse<Buffer> response = http.client().post("/oauth2/token?client_secret=" + secret)
      .putHeader("Content-Type", FORM).sendBuffer(Buffer.buffer(validBody)).await();
    assertError(400, "invalid_request", response);
    assertFalse(response.bodyAsString().contains(secret), "the secret is not echoed");
  }

  @Test
  void anOversizedBodyIs413WithoutBeingRead() {
    int limit = gateway.config().http().bodyLimit();
    String padding = "&pad=" + "x".repeat(limit);

    HttpResponse<Buffer> response = http.tokenRaw(FORM, validBody + padding);

    assertError(413, "invalid_request", response);
  }

  @Test
  void anOversizedChunkedBodyIs413(Vertx vertx) {
    int limit = gateway.config().http().bodyLimit();
    HttpClient client = vertx.createHttpClient();
    String[] connection = {null};
    int[] status = {0};
    Buffer body = client.request(new RequestOptions().setMethod(HttpMethod.POST)
        .setHost("127.0.0.1").setPort(http.port()).setURI("/oauth2/token"))
      .compose(request -> {
        request.setChunked(true).putHeader("Content-Type", FORM);
        for (int i = 0; i < 8; i++) {
          request.write("pad" + i + "=" + "x".repeat(limit / 4) + "&");
        }
        request.end();
        return request.response();
      })
      .compose(response -> {
        status[0] = response.statusCode();
        connection[0] = response.getHeader("Connection");
        return response.body();
      }).await();

    assertEquals(413, status[0]);
    assertEquals("close", connection[0]);
    assertEquals("invalid_request", body.toJsonObject().getString("error"));
  }

  @Test
  void malformedEncodingIsInvalidRequest() {
    assertError(400, "invalid_request", http.tokenRaw(FORM, validBody + "&scope=%zz"));
    assertError(400, "invalid_request", http.tokenRaw(FORM, validBody + "&scope=%4"));
    // %C0%AF is an overlong encoding of '/'; %FF is never UTF-8; %00 is NUL.
    assertError(400, "invalid_request", http.tokenRaw(FORM, "grant_type=password&username=%C0%AF"));
    assertError(400, "invalid_request", http.tokenRaw(FORM, "grant_type=password&username=%FF"));
    assertError(400, "invalid_request", http.tokenRaw(FORM, "grant_type=password&username=al%00ice"));
    assertError(400, "invalid_request", http.tokenRaw(FORM, "grant_type=password&=nameless"));
  }

  @Test
  void rawUtf8InTheBodyIsAcceptedAsText() {
    gateway.createUser("jörg", PASSWORD);
    String body = "grant_type=password&username=jörg&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8)
      + "&client_id=app&client_secret=" + secret;
    assertEquals(200, http.tokenRaw(FORM, body).statusCode());
  }

  @Test
  void tooManyParametersAreInvalidRequest() {
    StringBuilder body = new StringBuilder("grant_type=password");
    for (int i = 0; i < 100; i++) {
      body.append("&p").append(i).append("=1");
    }
    assertError(400, "invalid_request", http.tokenRaw(FORM, body.toString()));
  }

  @Test
  void aMissingGrantTypeIsInvalidRequest() {
    assertError(400, "invalid_request", http.tokenRaw(FORM, "username=alice&password=x&client_id=app&client_secret=" + secret));
    assertError(400, "invalid_request", http.tokenRaw(FORM, ""));
  }

  @Test
  void anUnknownGrantTypeIsUnsupportedGrantTypeEvenBeforeClientAuthentication() {
    assertError(400, "unsupported_grant_type", http.tokenRaw(FORM, "grant_type=authorization_code&client_id=app&client_secret=" + secret));
    HttpResponse<Buffer> anonymous = http.tokenRaw(FORM, "grant_type=urn:example:custom");
    assertError(400, "unsupported_grant_type", anonymous);
    assertNull(anonymous.getHeader("WWW-Authenticate"));
  }

  @Test
  void twoAuthorizationHeadersAreInvalidRequest() {
    HttpResponse<Buffer> response = http.client().post("/oauth2/token")
      .putHeader("Content-Type", FORM)
      .putHeader("Authorization", List.of(Http.basic("app", secret), Http.basic("app", secret)))
      .sendBuffer(Buffer.buffer("grant_type=password&username=alice&password=x")).await();
    assertError(400, "invalid_request", response);
  }

  @Test
  void unknownPathsAreNotFound() {
    assertEquals(404, http.get("/oauth2/authorize").statusCode());
  }
}
