package io.tokengate.grant;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
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
import java.util.Set;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@ExtendWith(VertxExtension.class)
class ClientCredentialsGrantTest {

  private static TestGateway gateway;
  private static Http http;
  private static String secret;

  @BeforeAll
  static void start(Vertx vertx) {
    gateway = TestGateway.start();
    http = new Http(vertx, gateway.port());
    // Registered for refresh_token too: client_credentials must still never yield one.
    secret = gateway.createClient("billing-job", Set.of("client_credentials", "refresh_token"),
      List.of("invoices:read", "invoices:write"), List.of("invoices:read"));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void theClientGetsAnAccessTokenAboutItselfAndNeverARefreshToken() throws Exception {
    HttpResponse<Buffer> response = http.tokenWithBasic("billing-job", secret, form("grant_type", "client_credentials"));

    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject body = response.bodyAsJsonObject();
    assertNull(body.getString("refresh_token"));
    assertEquals("invoices:read", body.getString("scope"), "the default scope, which was not asked for");
    JWTClaimsSet claims = SignedJWT.parse(body.getString("access_token")).getJWTClaimsSet();
    assertEquals("billing-job", claims.getSubject());
    assertEquals("billing-job", claims.getStringClaim("client_id"));
  }

  @Test
  void scopeRulesAreTheSameAsForUsers() {
    JsonObject asked = http.tokenWithBasic("billing-job", secret,
      form("grant_type", "client_credentials", "scope", "invoices:write")).bodyAsJsonObject();
    HttpResponse<Buffer> tooMuch = http.tokenWithBasic("billing-job", secret,
      form("grant_type", "client_credentials", "scope", "payroll:read"));

    assertNull(asked.getString("scope"));
    assertEquals(400, tooMuch.statusCode());
    assertEquals("invalid_scope", tooMuch.bodyAsJsonObject().getString("error"));
  }

  @Test
  void aClientNotRegisteredForItIsUnauthorizedClient() {
    String userApp = gateway.createClient("user-app", Set.of("password"), List.of(), List.of());

    HttpResponse<Buffer> response = http.tokenWithBasic("user-app", userApp, form("grant_type", "client_credentials"));

    assertEquals(400, response.statusCode());
    assertEquals("unauthorized_client", response.bodyAsJsonObject().getString("error"));
  }
}
