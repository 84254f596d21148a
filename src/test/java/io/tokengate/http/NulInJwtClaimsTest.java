package io.tokengate.http;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.id.JWTID;
import io.tokengate.support.Http;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Found by fuzzing the JOSE parsers: a JSON string may hold U+0000 (NUL), which every form parameter is refused for
 * (FormEncoding), but which reaches PostgreSQL from the claims of a JWT. PostgreSQL text cannot hold NUL: the
 * query fails with SQLSTATE 22021 (invalid byte sequence for encoding "UTF8": 0x00), which is no transient database
 * failure, so the request was answered 500 server_error. Now both are refused before the database: a client id
 * must be one a client can have, and a jti printable ASCII.
 */
@ExtendWith(VertxExtension.class)
class NulInJwtClaimsTest {

  @Test
  void anAssertionNamingAClientWithNulIsInvalidClient(Vertx vertx) throws Exception {
    try (TestGateway gateway = TestGateway.start(Map.of())) {
      Http http = new Http(vertx, gateway.port());
      URI tokenEndpoint = URI.create(gateway.config().endpointUrl("/oauth2/token"));
      // Before any client is authenticated: anyone can send this.
      JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("\0").subject("\0").audience(tokenEndpoint.toString())
        .expirationTime(Date.from(Instant.now().plusSeconds(60))).jwtID(UUID.randomUUID().toString()).build();
      SignedJWT assertion = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), claims);
      assertion.sign(new ECDSASigner(new ECKeyGenerator(Curve.P_256).generate()));

      HttpResponse<Buffer> response = http.token(form("grant_type", "client_credentials",
        "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion", assertion.serialize()));

      assertEquals(401, response.statusCode(), response.bodyAsString());
      assertEquals("invalid_client", response.bodyAsJsonObject().getString("error"));
    }
  }

  @Test
  void aDpopProofWhoseJtiHoldsNulIsInvalidDpopProof(Vertx vertx) throws Exception {
    try (TestGateway gateway = TestGateway.start(Map.of())) {
      Http http = new Http(vertx, gateway.port());
      URI tokenEndpoint = URI.create(gateway.config().endpointUrl("/oauth2/token"));
      String secret = gateway.createClient("app", Set.of("client_credentials"), List.of(), List.of());
      ECKey key = new ECKeyGenerator(Curve.P_256).generate();
      String proof = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256)
        .createDPoPJWT(new JWTID("\0"), "POST", tokenEndpoint, new Date(), null, null).serialize();

      HttpResponse<Buffer> response = http.client().post("/oauth2/token")
        .putHeader("Authorization", Http.basic("app", secret)).putHeader("DPoP", proof)
        .sendForm(form("grant_type", "client_credentials")).await();

      assertEquals(400, response.statusCode(), response.bodyAsString());
      assertEquals("invalid_dpop_proof", response.bodyAsJsonObject().getString("error"));
    }
  }
}
