package io.tokengate.dpop;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import io.tokengate.client.ClientRegistration;
import io.tokengate.support.Http;
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

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 9449 at the token endpoint: proofs checked and spent, DPoP-bound access tokens, and bound refresh tokens. */
@ExtendWith(VertxExtension.class)
class DpopTokenTest {

  private static final String PASSWORD = "correct horse battery staple";

  private static TestGateway gateway;
  private static Http http;
  /** The token endpoint as the issuer names it (aud, htu), and where this test reaches it. */
  private static URI tokenEndpoint;
  private static URI reachedAt;
  private static String secret;
  private static String strictSecret;
  private static String apiSecret;
  private static ECKey key;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    gateway = TestGateway.start(Map.of());
    http = new Http(vertx, gateway.port());
    tokenEndpoint = URI.create(gateway.config().endpointUrl("/oauth2/token"));
    reachedAt = URI.create("http://127.0.0.1:" + gateway.port() + "/oauth2/token");
    secret = gateway.createClient("app", Set.of("password", "refresh_token"), List.of("read"), List.of());
    strictSecret = gateway.register(new ClientRegistration.Request("strict-app", Set.of("password"), List.of(),
      List.of(), Optional.empty(), Optional.empty()).constrainingTokens(false, true)).generatedSecret().orElseThrow();
    apiSecret = gateway.createClient("api", Set.of("client_credentials"), List.of(), List.of());
    gateway.createUser("alice", PASSWORD);
    key = new ECKeyGenerator(Curve.P_256).generate();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static String proof(ECKey signer, String method, URI target) throws Exception {
    return new DefaultDPoPProofFactory(signer, JWSAlgorithm.ES256).createDPoPJWT(method, target).serialize();
  }

  private static HttpResponse<Buffer> token(String clientId, String clientSecret, String dpop, MultiMap form) {
    var request = http.client().post("/oauth2/token").putHeader("Authorization", Http.basic(clientId, clientSecret));
    if (dpop != null) {
      request.putHeader("DPoP", dpop);
    }
    return request.sendForm(form).await();
  }

  private static HttpResponse<Buffer> password(String dpop) {
    return token("app", secret, dpop, form("grant_type", "password", "username", "alice", "password", PASSWORD));
  }

  private static void assertInvalidProof(HttpResponse<Buffer> response, String description) {
    assertEquals(400, response.statusCode(), response.bodyAsString());
    assertEquals("invalid_dpop_proof", response.bodyAsJsonObject().getString("error"));
    assertEquals(description, response.bodyAsJsonObject().getString("error_description"));
  }

  @Test
  void nimbusGetsADpopBoundTokenWhoseCnfIsItsKey() throws Exception {
    HTTPRequest request = new TokenRequest.Builder(reachedAt,
      new ClientSecretBasic(new ClientID("app"), new Secret(secret)),
      new ResourceOwnerPasswordCredentialsGrant("alice", new Secret(PASSWORD))).build().toHTTPRequest();
    request.setDPoP(new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256).createDPoPJWT("POST", tokenEndpoint));

    TokenResponse response = TokenResponse.parse(request.send());

    assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
    AccessTokenResponse success = response.toSuccessResponse();
    assertEquals(AccessTokenType.DPOP, success.getTokens().getAccessToken().getType());
    SignedJWT token = SignedJWT.parse(success.getTokens().getAccessToken().getValue());
    assertEquals(key.computeThumbprint().toString(),
      token.getJWTClaimsSet().getJSONObjectClaim("cnf").get("jkt"));
  }

  @Test
  void introspectionReportsTheBindingAndTheTokenType() throws Exception {
    String accessToken = password(proof(key, "POST", tokenEndpoint)).bodyAsJsonObject().getString("access_token");

    JsonObject result = http.client().post("/oauth2/introspect").putHeader("Authorization", Http.basic("api", apiSecret))
      .sendForm(form("token", accessToken)).await().bodyAsJsonObject();

    assertEquals(true, result.getBoolean("active"));
    assertEquals("DPoP", result.getString("token_type"));
    assertEquals(key.computeThumbprint().toString(), result.getJsonObject("cnf").getString("jkt"));
  }

  @Test
  void withoutAProofTheTokenIsABearerTokenWithoutCnf() throws Exception {
    JsonObject body = password(null).bodyAsJsonObject();
    assertEquals("Bearer", body.getString("token_type"));
    assertNull(SignedJWT.parse(body.getString("access_token")).getJWTClaimsSet().getClaim("cnf"));
  }

  @Test
  void aProofIsSpentByItsFirstUse() throws Exception {
    String dpop = proof(key, "POST", tokenEndpoint);
    assertEquals(200, password(dpop).statusCode());
    assertInvalidProof(password(dpop), "the DPoP proof was used before");
  }

  @Test
  void aProofForAnotherUrlOrMethodIsRefused() throws Exception {
    assertInvalidProof(password(proof(key, "POST", URI.create("https://elsewhere.example/oauth2/token"))),
      "the DPoP proof htu does not match the request URI");
    assertInvalidProof(password(proof(key, "GET", tokenEndpoint)), "the DPoP proof htm does not match the request method");
    assertInvalidProof(password("garbage"), "the DPoP proof is not a compact JWS");
  }

  @Test
  void twoProofsAreRefused() throws Exception {
    HttpResponse<Buffer> response = http.client().post("/oauth2/token")
      .putHeader("Authorization", Http.basic("app", secret))
      .putHeader("DPoP", List.of(proof(key, "POST", tokenEndpoint), proof(key, "POST", tokenEndpoint)))
      .sendForm(form("grant_type", "password", "username", "alice", "password", PASSWORD)).await();
    assertInvalidProof(response, "more than one DPoP header");
  }

  @Test
  void aClientThatRequiresDpopCannotGoWithout() throws Exception {
    MultiMap grant = form("grant_type", "password", "username", "alice", "password", PASSWORD);
    assertInvalidProof(token("strict-app", strictSecret, null, grant), "this client must send a DPoP proof");
    HttpResponse<Buffer> bound = token("strict-app", strictSecret, proof(key, "POST", tokenEndpoint), grant);
    assertEquals(200, bound.statusCode());
    assertEquals("DPoP", bound.bodyAsJsonObject().getString("token_type"));
  }

  @Test
  void aRefreshTokenIssuedWithDpopStaysBoundToThatKey() throws Exception {
    String refreshToken = password(proof(key, "POST", tokenEndpoint)).bodyAsJsonObject().getString("refresh_token");
    MultiMap refresh = form("grant_type", "refresh_token", "refresh_token", refreshToken);

    ECKey thief = new ECKeyGenerator(Curve.P_256).generate();
    assertInvalidProof(token("app", secret, proof(thief, "POST", tokenEndpoint), refresh),
      "the refresh token is bound to a DPoP key: send a proof signed with that key");
    assertInvalidProof(token("app", secret, null, refresh),
      "the refresh token is bound to a DPoP key: send a proof signed with that key");

    // Nothing changed: the holder of the key still refreshes, and gets a token bound to it.
    HttpResponse<Buffer> refreshed = token("app", secret, proof(key, "POST", tokenEndpoint), refresh);
    assertEquals(200, refreshed.statusCode(), refreshed.bodyAsString());
    assertEquals("DPoP", refreshed.bodyAsJsonObject().getString("token_type"));
    String next = refreshed.bodyAsJsonObject().getString("refresh_token");
    assertEquals(200, token("app", secret, proof(key, "POST", tokenEndpoint),
      form("grant_type", "refresh_token", "refresh_token", next)).statusCode());
  }

  @Test
  void theMetadataAdvertisesDpopAlgorithms() {
    JsonObject metadata = http.get("/.well-known/oauth-authorization-server").bodyAsJsonObject();
    assertTrue(metadata.getJsonArray("dpop_signing_alg_values_supported").contains("ES256"));
    assertTrue(!metadata.getJsonArray("dpop_signing_alg_values_supported").contains("HS256"));
  }
}
