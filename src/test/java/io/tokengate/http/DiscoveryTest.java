package io.tokengate.http;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
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

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JWKS and the RFC 8414 metadata, on a gateway whose issuer has a path (as behind a path-routing ingress). */
@ExtendWith(VertxExtension.class)
class DiscoveryTest {

  private static final String ISSUER = "https://login.example.com/tenant-a";

  private static TestGateway gateway;
  private static Http http;

  @BeforeAll
  static void start(Vertx vertx) {
    gateway = TestGateway.start(Map.of("TOKENGATE_ISSUER", ISSUER));
    http = new Http(vertx, gateway.port());
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void metadataDescribesWhatTheServerSupports() throws Exception {
    HttpResponse<Buffer> response = http.get("/.well-known/oauth-authorization-server");
    AuthorizationServerMetadata metadata = AuthorizationServerMetadata.parse(response.bodyAsString());

    assertEquals(200, response.statusCode());
    assertEquals(ISSUER, metadata.getIssuer().getValue());
    assertEquals(URI.create(ISSUER + "/oauth2/token"), metadata.getTokenEndpointURI());
    assertEquals(URI.create(ISSUER + "/oauth2/jwks"), metadata.getJWKSetURI());
    assertEquals(List.of(GrantType.PASSWORD, GrantType.REFRESH_TOKEN, GrantType.CLIENT_CREDENTIALS),
      metadata.getGrantTypes());
    // Without a secret encryption key, a CA bundle, HTTPS or trusted proxies: no client_secret_jwt and no mTLS.
    List<ClientAuthenticationMethod> secretMethods = List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
      ClientAuthenticationMethod.CLIENT_SECRET_POST, ClientAuthenticationMethod.PRIVATE_KEY_JWT);
    assertEquals(secretMethods, metadata.getTokenEndpointAuthMethods());
    assertTrue(metadata.getTokenEndpointJWSAlgs().contains(JWSAlgorithm.ES256));
    assertFalse(metadata.getTokenEndpointJWSAlgs().contains(JWSAlgorithm.HS256));
    assertFalse(metadata.supportsTLSClientCertificateBoundAccessTokens());
    assertTrue(metadata.getDPoPJWSAlgs().contains(JWSAlgorithm.EdDSA));
    assertEquals(URI.create(ISSUER + "/oauth2/introspect"), metadata.getIntrospectionEndpointURI());
    assertEquals(secretMethods, metadata.getIntrospectionEndpointAuthMethods());
    assertEquals(URI.create(ISSUER + "/oauth2/revoke"), metadata.getRevocationEndpointURI());
    assertEquals(secretMethods, metadata.getRevocationEndpointAuthMethods());
  }

  @Test
  void metadataIsAlsoServedAtTheRfc8414PathForAnIssuerWithAPath() {
    HttpResponse<Buffer> response = http.get("/.well-known/oauth-authorization-server/tenant-a");

    assertEquals(200, response.statusCode());
    assertEquals(ISSUER, response.bodyAsJsonObject().getString("issuer"));
  }

  @Test
  void jwksPublishesPublicKeysOnly() throws Exception {
    HttpResponse<Buffer> response = http.get("/oauth2/jwks");
    JWKSet jwks = JWKSet.parse(response.bodyAsString());

    assertEquals(200, response.statusCode());
    assertFalse(jwks.getKeys().isEmpty());
    for (JWK key : jwks.getKeys()) {
      assertFalse(key.isPrivate(), "no private parameters in the JWKS");
      assertTrue(key.getKeyID() != null && !key.getKeyID().isEmpty());
    }
    JsonObject raw = response.bodyAsJsonObject().getJsonArray("keys").getJsonObject(0);
    assertFalse(raw.containsKey("d"));
    assertTrue(response.getHeader("Cache-Control").contains("max-age"));
  }

  @Test
  void everyReplicaSignsWithTheKeyTheFirstOneGenerated(Vertx vertx) {
    String first = http.get("/oauth2/jwks").bodyAsString();
    try (TestGateway second = TestGateway.startOn(gateway.database(), Map.of("TOKENGATE_ISSUER", ISSUER))) {
      String secondJwks = new Http(vertx, second.port()).get("/oauth2/jwks").bodyAsString();
      assertEquals(new JsonObject(first), new JsonObject(secondJwks));
    }
  }
}
