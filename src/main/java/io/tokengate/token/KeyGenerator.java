package io.tokengate.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

import java.security.SecureRandom;

/** New signing keys, identified by their RFC 7638 thumbprint. Slow for RSA: call it on a worker. */
public final class KeyGenerator {

  private KeyGenerator() {
  }

  public static JWK generate(JWSAlgorithm algorithm) throws JOSEException {
    if (JWSAlgorithm.ES256.equals(algorithm)) {
      return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(algorithm)
        .keyIDFromThumbprint(true).generate();
    }
    if (JWSAlgorithm.RS256.equals(algorithm) || JWSAlgorithm.PS256.equals(algorithm)) {
      return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(algorithm)
        .keyIDFromThumbprint(true).generate();
    }
    if (JWSAlgorithm.EdDSA.equals(algorithm)) {
      Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new SecureRandom());
      OctetKeyPair publicKey = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(key.generatePublicKey().getEncoded()))
        .keyUse(KeyUse.SIGNATURE).algorithm(algorithm).build();
      return new OctetKeyPair.Builder(publicKey).d(Base64URL.encode(key.getEncoded()))
        .keyID(publicKey.computeThumbprint().toString()).build();
    }
    throw new JOSEException("unsupported signing algorithm " + algorithm);
  }
}
