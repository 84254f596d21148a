package io.tokengate.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.tokengate.support.Http;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each configurable algorithm, end to end: key generated into the database, token signed, verified via the JWKS. */
@ExtendWith(VertxExtension.class)
class SigningAlgorithmsTest {

  @ParameterizedTest
  @ValueSource(strings = {"ES256", "EdDSA", "RS256", "PS256"})
  void tokensSignedWithTheConfiguredAlgorithmVerifyAgainstTheJwks(String algorithm, Vertx vertx) throws Exception {
    try (TestGateway gateway = TestGateway.start(Map.of("TOKENGATE_TOKENS_SIGNING_ALGORITHM", algorithm))) {
      Http http = new Http(vertx, gateway.port());
      String secret = gateway.createClient("app", Set.of("password"), List.of(), List.of());
      gateway.createUser("alice", "correct horse battery staple");

      String token = http.tokenWithBasic("app", secret,
          form("grant_type", "password", "username", "alice", "password", "correct horse battery staple"))
        .bodyAsJsonObject().getString("access_token");
      SignedJWT jwt = SignedJWT.parse(token);
      JWK key = JWKSet.parse(http.get("/oauth2/jwks").bodyAsString()).getKeyByKeyId(jwt.getHeader().getKeyID());

      assertEquals(JWSAlgorithm.parse(algorithm), jwt.getHeader().getAlgorithm());
      assertTrue(verify(jwt, key), algorithm + " signature verifies with the published key");
    }
  }

  static boolean verify(SignedJWT jwt, JWK key) throws Exception {
    if (key instanceof OctetKeyPair okp) {
      // Nimbus' Ed25519 verifier needs Tink; the JDK verifies Ed25519 by itself.
      byte[] spki = HexFormat.of().parseHex("302a300506032b6570032100");
      byte[] encoded = new byte[spki.length + 32];
      System.arraycopy(spki, 0, encoded, 0, spki.length);
      System.arraycopy(okp.getDecodedX(), 0, encoded, spki.length, 32);
      Signature signature = Signature.getInstance("Ed25519");
      signature.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded)));
      signature.update(jwt.getSigningInput());
      return signature.verify(jwt.getSignature().decode());
    }
    JWSVerifier verifier = key instanceof ECKey ec ? new ECDSAVerifier(ec) : new RSASSAVerifier((RSAKey) key);
    return jwt.verify(verifier);
  }

}
