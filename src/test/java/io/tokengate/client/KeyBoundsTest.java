package io.tokengate.client;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.net.URI;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client keys from the CLI and from jwks_uri documents have the bounds of DPoP proof keys: RSA of 2048 to 4096 bits
 * with exponent 65537, P-256/384/521, Ed25519. (The keys are never used to verify here, so their moduli are just
 * random numbers of the right size.)
 */
class KeyBoundsTest {

  static RSAKey rsa(int bits, long exponent) {
    BigInteger modulus = new BigInteger(bits, new SecureRandom()).setBit(bits - 1).setBit(0);
    return new RSAKey.Builder(Base64URL.encode(modulus), Base64URL.encode(BigInteger.valueOf(exponent)))
      .keyID("k" + bits + "-" + exponent).build();
  }

  private static void register(JWK key) {
    ClientKeyValidation.validate(Set.of(ClientAuthMethod.PRIVATE_KEY_JWT),
      new ClientKeys(Optional.empty(), Optional.of(new JWKSet(key)), Optional.empty(), Optional.empty(), List.of()),
      false);
  }

  @Test
  void theCliRegistersOnlyKeysWithinTheBounds() throws Exception {
    register(rsa(2048, 65537));
    register(rsa(4096, 65537));
    register(new ECKeyGenerator(Curve.P_384).generate().toPublicJWK());
    for (RSAKey refused : List.of(rsa(8192, 65537), rsa(2048, 3), rsa(2040, 65537))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> register(refused));
      assertTrue(e.getMessage().contains("2048 to 4096 bits with exponent 65537"), e.getMessage());
    }
  }

  @Test
  void aJwksUriDocumentKeepsOnlyKeysWithinTheBounds() {
    RSAKey good = rsa(3072, 65537);
    String body = new JWKSet(List.of(good, rsa(16384, 65537), rsa(2048, 17))).toString();

    JWKSet kept = PublicSigningKeys.from(URI.create("https://client.example/jwks"), body);

    assertEquals(List.of(good.getKeyID()), kept.getKeys().stream().map(JWK::getKeyID).toList());
  }
}
