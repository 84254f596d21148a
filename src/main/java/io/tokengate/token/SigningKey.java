package io.tokengate.token;

import io.tokengate.crypto.Ed25519Signer;
import io.tokengate.crypto.Es256Signer;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;

/** A private key that signs tokens, with the signer built once (signers are thread-safe and reused). */
public record SigningKey(String kid, JWSAlgorithm algorithm, JWK jwk, JWSSigner signer) {

  public static SigningKey of(JWK jwk, JWSAlgorithm algorithm) {
    if (jwk.getKeyID() == null || jwk.getKeyID().isBlank()) {
      throw new IllegalArgumentException("a signing key needs a kid");
    }
    if (!fits(jwk, algorithm)) {
      throw new IllegalArgumentException("key " + jwk.getKeyID() + " cannot sign " + algorithm);
    }
    try {
      return new SigningKey(jwk.getKeyID(), algorithm, jwk, signer(jwk));
    } catch (JOSEException e) {
      throw new IllegalArgumentException("key " + jwk.getKeyID() + " cannot sign: " + e.getMessage(), e);
    }
  }

  /** Whether a private key can sign with an algorithm, and says so if it names one. */
  public static boolean fits(JWK jwk, JWSAlgorithm algorithm) {
    if (!jwk.isPrivate() || jwk.getAlgorithm() != null && !jwk.getAlgorithm().equals(algorithm)) {
      return false;
    }
    if (JWSAlgorithm.ES256.equals(algorithm)) {
      return jwk instanceof ECKey ec && Curve.P_256.equals(ec.getCurve());
    }
    if (JWSAlgorithm.RS256.equals(algorithm) || JWSAlgorithm.PS256.equals(algorithm)) {
      return jwk instanceof RSAKey rsa && rsa.size() >= 2048;
    }
    if (JWSAlgorithm.EdDSA.equals(algorithm)) {
      return jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve());
    }
    return false;
  }

  private static JWSSigner signer(JWK jwk) throws JOSEException {
    if (jwk instanceof ECKey ec) {
      return new Es256Signer(ec);
    }
    if (jwk instanceof RSAKey rsa) {
      return new RSASSASigner(rsa);
    }
    return new Ed25519Signer((OctetKeyPair) jwk);
  }

  @Override
  public String toString() {
    return "SigningKey[" + kid + ", " + algorithm + "]";
  }
}
