package io.tokengate.interop;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import io.tokengate.support.Http;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real OAuth client libraries against the real gateway, and a Vert.x resource server verifying its tokens. */
@ExtendWith(VertxExtension.class)
class ClientLibraryInteropTest {

  private static final String PASSWORD = "correct horse battery staple";

  private static TestGateway gateway;
  private static String secret;
  private static URI tokenEndpoint;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start();
    secret = gateway.createClient("legacy-crm", Set.of("password"), List.of("orders:read", "orders:write"),
      List.of("orders:read"));
    gateway.createUser("carol", PASSWORD);
    tokenEndpoint = URI.create("http://127.0.0.1:" + gateway.port() + "/oauth2/token");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static OAuth2Auth vertxClient(Vertx vertx, boolean basic) {
    return OAuth2Auth.create(vertx, new OAuth2Options()
      .setSupportedGrantTypes(List.of(OAuth2FlowType.PASSWORD.getGrantType()))
      .setClientId("legacy-crm")
      .setClientSecret(secret)
      .setUseBasicAuthorization(basic)
      .setSite("http://127.0.0.1:" + gateway.port())
      .setTokenPath("/oauth2/token"));
  }

  @Test
  void vertxOAuth2ClientGetsATokenWithThePasswordFlow(Vertx vertx) {
    for (boolean basic : List.of(true, false)) {
      User user = vertxClient(vertx, basic).authenticate(new UsernamePasswordCredentials("carol", PASSWORD)).await();

      assertEquals("Bearer", user.principal().getString("token_type"));
      assertTrue(user.principal().getString("access_token").split("\\.").length == 3);
    }
  }

  @Test
  void vertxOAuth2ClientSeesAWrongPasswordAsAFailure(Vertx vertx) {
    Exception failure = assertThrows(Exception.class, () ->
      vertxClient(vertx, true).authenticate(new UsernamePasswordCredentials("carol", "wrong password")).await());
    assertTrue(failure.getMessage().contains("invalid_grant"), failure.getMessage());
  }

  @Test
  void nimbusSdkGetsATokenWithBasicAndWithPost() throws Exception {
    ResourceOwnerPasswordCredentialsGrant grant = new ResourceOwnerPasswordCredentialsGrant("carol", new Secret(PASSWORD));
    ClientID clientId = new ClientID("legacy-crm");
    for (var authentication : List.of(new ClientSecretBasic(clientId, new Secret(secret)),
      new ClientSecretPost(clientId, new Secret(secret)))) {
      TokenResponse response = TokenResponse.parse(new TokenRequest.Builder(tokenEndpoint, authentication, grant)
        .scope(new Scope("orders:read", "orders:write")).build().toHTTPRequest().send());

      assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
      AccessTokenResponse success = response.toSuccessResponse();
      assertEquals(AccessTokenType.BEARER, success.getTokens().getAccessToken().getType());
      assertEquals(300, success.getTokens().getAccessToken().getLifetime());
      assertEquals(null, success.getTokens().getRefreshToken());
    }
  }

  @Test
  void nimbusSdkLogsInRefreshesAndRevokes() throws Exception {
    String refreshClientSecret = gateway.createClient("session-app", Set.of("password", "refresh_token"),
      List.of("orders:read"), List.of("orders:read"));
    ClientSecretBasic authentication = new ClientSecretBasic(new ClientID("session-app"), new Secret(refreshClientSecret));

    AccessTokenResponse login = TokenResponse.parse(new TokenRequest.Builder(tokenEndpoint, authentication,
        new ResourceOwnerPasswordCredentialsGrant("carol", new Secret(PASSWORD))).build().toHTTPRequest().send())
      .toSuccessResponse();
    RefreshToken first = login.getTokens().getRefreshToken();
    AccessTokenResponse refreshed = TokenResponse.parse(new TokenRequest.Builder(tokenEndpoint, authentication,
      new RefreshTokenGrant(first)).build().toHTTPRequest().send()).toSuccessResponse();
    RefreshToken second = refreshed.getTokens().getRefreshToken();
    HTTPResponse revoked = new TokenRevocationRequest(URI.create(tokenEndpoint.toString().replace("/token", "/revoke")),
      authentication, second).toHTTPRequest().send();
    TokenResponse afterRevocation = TokenResponse.parse(new TokenRequest.Builder(tokenEndpoint, authentication,
      new RefreshTokenGrant(second)).build().toHTTPRequest().send());

    assertTrue(second != null && !second.equals(first), "rotated");
    assertEquals(200, revoked.getStatusCode());
    assertFalse(afterRevocation.indicatesSuccess());
    assertEquals(OAuth2Error.INVALID_GRANT.getCode(), afterRevocation.toErrorResponse().getErrorObject().getCode());
  }

  @Test
  void vertxOAuth2ClientRefreshesAndRevokes(Vertx vertx) {
    String refreshClientSecret = gateway.createClient("vertx-session-app", Set.of("password", "refresh_token"),
      List.of(), List.of());
    OAuth2Auth oauth2 = OAuth2Auth.create(vertx, new OAuth2Options()
      .setSupportedGrantTypes(List.of(OAuth2FlowType.PASSWORD.getGrantType()))
      .setClientId("vertx-session-app")
      .setClientSecret(refreshClientSecret)
      .setSite("http://127.0.0.1:" + gateway.port())
      .setTokenPath("/oauth2/token")
      .setRevocationPath("/oauth2/revoke"));

    User user = oauth2.authenticate(new UsernamePasswordCredentials("carol", PASSWORD)).await();
    String firstRefreshToken = user.principal().getString("refresh_token");
    User refreshed = oauth2.refresh(user).await();
    oauth2.revoke(refreshed, "refresh_token").await();

    assertFalse(refreshed.principal().getString("refresh_token").equals(firstRefreshToken));
    assertThrows(Exception.class, () -> oauth2.refresh(refreshed).await(), "the revoked family no longer refreshes");
  }

  @Test
  void nimbusSdkParsesTheErrorsItGets() throws Exception {
    ClientSecretBasic wrongSecret = new ClientSecretBasic(new ClientID("legacy-crm"), new Secret("wrong"));
    TokenResponse response = TokenResponse.parse(new TokenRequest.Builder(tokenEndpoint, wrongSecret,
      new ResourceOwnerPasswordCredentialsGrant("carol", new Secret(PASSWORD))).build().toHTTPRequest().send());

    assertFalse(response.indicatesSuccess());
    ErrorObject error = ((TokenErrorResponse) response).getErrorObject();
    assertEquals(OAuth2Error.INVALID_CLIENT.getCode(), error.getCode());
    assertEquals(401, error.getHTTPStatusCode());
  }

  @Test
  void aVertxResourceServerVerifiesTheTokenWithThePublishedJwks(Vertx vertx) {
    String token = vertxClient(vertx, true).authenticate(new UsernamePasswordCredentials("carol", PASSWORD)).await()
      .principal().getString("access_token");
    String issuer = gateway.config().issuer().toString();
    JWTAuthOptions options = new JWTAuthOptions()
      .setJWTOptions(new JWTOptions().setIssuer(issuer).setAudience(List.of(issuer)));
    new Http(vertx, gateway.port()).get("/oauth2/jwks").bodyAsJsonObject().getJsonArray("keys")
      .forEach(key -> options.addJwk((JsonObject) key));
    JWTAuth resourceServer = JWTAuth.create(vertx, options);

    User user = resourceServer.authenticate(new TokenCredentials(token)).await();

    assertEquals("legacy-crm", user.principal().getString("client_id"));
    assertEquals("orders:read", user.principal().getString("scope"));
    assertFalse(user.principal().getString("sub").isEmpty());
    String[] parts = token.split("\\.");
    String forgedClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(
      new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace("orders:read", "orders:write").getBytes(StandardCharsets.UTF_8));
    String forged = parts[0] + "." + forgedClaims + "." + parts[2];
    assertThrows(Exception.class, () -> resourceServer.authenticate(new TokenCredentials(forged)).await(),
      "a token whose claims were changed is refused");
  }
}
