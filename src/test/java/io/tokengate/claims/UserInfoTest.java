package io.tokengate.claims;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.UserInfoSuccessResponse;
import com.nimbusds.openid.connect.sdk.UserInfoErrorResponse;
import io.tokengate.support.Http;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The userinfo endpoint and the OpenID configuration, with Nimbus and Vert.x as clients. */
@ExtendWith(VertxExtension.class)
class UserInfoTest {

  private static final String PASSWORD = "correct horse battery staple";

  @TempDir
  static Path directory;
  private static TestGateway gateway;
  private static Http http;
  private static String secret;
  private static URI userInfo;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    Path yaml = Files.writeString(directory.resolve("tokengate.yaml"), """
      claims:
        id_token:
          email: mail
          groups: groups
      """);
    gateway = TestGateway.start(Map.of("TOKENGATE_CONFIG", yaml.toString()));
    http = new Http(vertx, gateway.port());
    secret = gateway.createClient("app", Set.of("password"), List.of("openid", "email", "read"),
      List.of("openid", "email"));
    for (String user : List.of("alice", "dora", "eve")) {
      gateway.createUser(user, PASSWORD);
      gateway.sql("UPDATE users SET attributes = jsonb_build_object('mail', username || '@example.com'), "
        + "groups = '{staff}' WHERE username = $1", user);
    }
    userInfo = URI.create("http://127.0.0.1:" + gateway.port() + "/oauth2/userinfo");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static JsonObject login(String username, String... more) {
    String[] fields = new String[6 + more.length];
    System.arraycopy(new String[] {"grant_type", "password", "username", username, "password", PASSWORD}, 0, fields, 0, 6);
    System.arraycopy(more, 0, fields, 6, more.length);
    HttpResponse<Buffer> response = http.tokenWithBasic("app", secret, form(fields));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  @Test
  void nimbusReadsUserinfoWithTheAccessToken() throws Exception {
    String token = login("alice").getString("access_token");

    UserInfoResponse response = UserInfoResponse.parse(new UserInfoRequest(userInfo, new BearerAccessToken(token))
      .toHTTPRequest().send());

    assertTrue(response.indicatesSuccess());
    var info = ((UserInfoSuccessResponse) response).getUserInfo();
    assertEquals("alice@example.com", info.getEmailAddress());
    assertEquals(gateway.queryString("SELECT id FROM users WHERE username = 'alice'"), info.getSubject().getValue());
    assertEquals(List.of("staff"), info.getStringListClaim("groups"));
  }

  @Test
  void vertxOAuth2ClientDoesAPasswordGrantWithOpenidAndReadsUserinfo(Vertx vertx) {
    OAuth2Auth oauth2 = OAuth2Auth.create(vertx, new OAuth2Options()
      .setSupportedGrantTypes(List.of(OAuth2FlowType.PASSWORD.getGrantType()))
      .setClientId("app")
      .setClientSecret(secret)
      .setSite("http://127.0.0.1:" + gateway.port())
      .setTokenPath("/oauth2/token")
      .setUserInfoPath("/oauth2/userinfo"));

    User user = oauth2.authenticate(new UsernamePasswordCredentials("dora", PASSWORD)).await();
    assertTrue(user.principal().containsKey("id_token"));
    JsonObject info = oauth2.userInfo(user).await();

    assertEquals("dora@example.com", info.getString("email"));
  }

  @Test
  void aDpopBoundTokenNeedsAProofByItsKey() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).generate();
    DefaultDPoPProofFactory proofs = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
    URI tokenEndpoint = URI.create(gateway.config().endpointUrl("/oauth2/token"));
    URI userInfoTarget = URI.create(gateway.config().endpointUrl("/oauth2/userinfo"));
    HttpResponse<Buffer> issued = http.client().post("/oauth2/token").putHeader("Authorization",
        Http.basic("app", secret)).putHeader("DPoP", proofs.createDPoPJWT("POST", tokenEndpoint).serialize())
      .sendForm(form("grant_type", "password", "username", "alice", "password", PASSWORD)).await();
    assertEquals(200, issued.statusCode(), issued.bodyAsString());
    DPoPAccessToken token = new DPoPAccessToken(issued.bodyAsJsonObject().getString("access_token"));

    com.nimbusds.oauth2.sdk.http.HTTPRequest request = new UserInfoRequest(userInfo, token).toHTTPRequest();
    request.setDPoP(proofs.createDPoPJWT("GET", userInfoTarget, token));
    UserInfoResponse withProof = UserInfoResponse.parse(request.send());
    assertTrue(withProof.indicatesSuccess());

    HttpResponse<Buffer> asBearer = http.client().get("/oauth2/userinfo")
      .putHeader("Authorization", "Bearer " + token.getValue()).send().await();
    assertEquals(401, asBearer.statusCode());
    assertTrue(asBearer.getHeader("WWW-Authenticate").contains("error=\"invalid_token\""));

    ECKey other = new ECKeyGenerator(Curve.P_256).generate();
    HttpResponse<Buffer> otherKey = http.client().get("/oauth2/userinfo")
      .putHeader("Authorization", "DPoP " + token.getValue())
      .putHeader("DPoP", new DefaultDPoPProofFactory(other, JWSAlgorithm.ES256)
        .createDPoPJWT("GET", userInfoTarget, token).serialize()).send().await();
    assertEquals(401, otherKey.statusCode());
    assertTrue(otherKey.getHeader("WWW-Authenticate").startsWith("DPoP "));
  }

  @Test
  void postWorksToo() {
    String token = login("alice").getString("access_token");
    HttpResponse<Buffer> response = http.client().post("/oauth2/userinfo")
      .putHeader("Authorization", "Bearer " + token).send().await();
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals("alice@example.com", response.bodyAsJsonObject().getString("email"));
  }

  @Test
  void errorsAreRfc6750WithWwwAuthenticate() throws Exception {
    HttpResponse<Buffer> none = http.client().get("/oauth2/userinfo").send().await();
    assertEquals(401, none.statusCode());
    assertTrue(none.getHeader("WWW-Authenticate").startsWith("Bearer "));

    HttpResponse<Buffer> garbage = http.client().get("/oauth2/userinfo")
      .putHeader("Authorization", "Bearer not-a-token").send().await();
    assertEquals(401, garbage.statusCode());
    assertEquals("invalid_token", garbage.bodyAsJsonObject().getString("error"));

    String withoutOpenid = login("alice", "scope", "read").getString("access_token");
    UserInfoResponse insufficient = UserInfoResponse.parse(new UserInfoRequest(userInfo,
      new BearerAccessToken(withoutOpenid)).toHTTPRequest().send());
    assertEquals(403, ((UserInfoErrorResponse) insufficient).getErrorObject().getHTTPStatusCode());
    assertEquals("insufficient_scope", ((UserInfoErrorResponse) insufficient).getErrorObject().getCode());
  }

  @Test
  void aDisabledOrDeletedUserIsInvalidToken() throws Exception {
    String dora = login("eve").getString("access_token");
    gateway.sql("UPDATE users SET enabled = false WHERE username = 'eve'");
    HTTPResponse disabled = new UserInfoRequest(userInfo, new BearerAccessToken(dora)).toHTTPRequest().send();
    assertEquals(401, disabled.getStatusCode());
    assertTrue(disabled.getHeaderValue("WWW-Authenticate").contains("invalid_token"));
    gateway.sql("DELETE FROM users WHERE username = 'eve'");
    assertEquals(401, new UserInfoRequest(userInfo, new BearerAccessToken(dora)).toHTTPRequest().send()
      .getStatusCode());
  }

  @Test
  void theOpenidConfigurationListsUserinfoScopesAndClaims() {
    JsonObject openid = http.get("/.well-known/openid-configuration").bodyAsJsonObject();
    JsonObject oauth = http.get("/.well-known/oauth-authorization-server").bodyAsJsonObject();

    assertEquals(openid, oauth);
    assertEquals(userInfo.toString().replace("127.0.0.1:" + gateway.port(), ""),
      openid.getString("userinfo_endpoint").replaceAll("http://[^/]+", "http://"));
    assertTrue(openid.getJsonArray("scopes_supported").contains("openid"));
    assertTrue(openid.getJsonArray("claims_supported").contains("email"));
    assertTrue(openid.getJsonArray("subject_types_supported").contains("pairwise"));
    assertEquals("ES256", openid.getJsonArray("id_token_signing_alg_values_supported").getString(0));
  }
}
