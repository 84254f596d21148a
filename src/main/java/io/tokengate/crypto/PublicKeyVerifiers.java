package io.tokengate.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Verifiers for JWTs signed by someone else's key (client assertions, DPoP proofs): the algorithm must be one of the
 * asymmetric algorithms below and must match the key's type and curve, so that neither {@code none} nor an HMAC
 * keyed with a public key can ever verify.
 */
public final class PublicKeyVerifiers {

  /** In the order the metadata document advertises them. */
  public static final List<JWSAlgorithm> ALGORITHMS = List.of(
    JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
    JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
    JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
    JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

  private static final int MIN_RSA_BITS = 2048;
  private static final int MAX_RSA_BITS = 4096;
  private static final BigInteger F4 = BigInteger.valueOf(65537);
  /** base64url characters of a 4096-bit modulus (with a leading zero byte); anything longer is not decoded at all. */
  private static final int MAX_MODULUS_CHARS = (MAX_RSA_BITS / 8 + 1) * 4 / 3 + 4;
  private static final AtomicLong UNACCEPTABLE = new AtomicLong();

  private PublicKeyVerifiers() {
  }

  /**
   * The keys anyone else may make us verify with (DPoP proofs, client assertions, registered and jwks_uri keys): RSA
   * of 2048 to 4096 bits with exponent 65537, EC P-256, P-384, P-521, and Ed25519. Anything else is refused before
   * any signature work starts: an RSA key of any size or exponent would let one request hold an event loop.
   */
  public static boolean acceptable(JWK key) {
    boolean acceptable = isAcceptable(key);
    if (!acceptable) {
      UNACCEPTABLE.incrementAndGet();
    }
    return acceptable;
  }

  private static boolean isAcceptable(JWK key) {
    return key instanceof RSAKey rsa && acceptableRsa(rsa)
      || key instanceof ECKey ec && Set.of(Curve.P_256, Curve.P_384, Curve.P_521).contains(ec.getCurve())
      || key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve());
  }

  /** Keys refused by {@link #acceptable} since start (a process-wide count, exported as a metric). */
  public static long unacceptableKeys() {
    return UNACCEPTABLE.get();
  }

  private static boolean acceptableRsa(RSAKey rsa) {
    if (rsa.getModulus() == null || rsa.getPublicExponent() == null
      || rsa.getModulus().toString().length() > MAX_MODULUS_CHARS) {
      return false;
    }
    int bits = rsa.getModulus().decodeToBigInteger().bitLength();
    return bits >= MIN_RSA_BITS && bits <= MAX_RSA_BITS && F4.equals(rsa.getPublicExponent().decodeToBigInteger());
  }

  /** @return a verifier when {@code key} is an acceptable public key that can verify {@code algorithm}; else empty */
  public static Optional<JWSVerifier> forKey(JWK key, JWSAlgorithm algorithm) {
    if (key == null || key.isPrivate() || !ALGORITHMS.contains(algorithm) || !isAcceptable(key)
      || !fits(key, algorithm)) {
      return Optional.empty();
    }
    try {
      if (key instanceof ECKey ec) {
        return Optional.of(JWSAlgorithm.ES256.equals(algorithm) ? new Es256Verifier(ec) : new ECDSAVerifier(ec));
      }
      if (key instanceof RSAKey rsa) {
        return Optional.of(new RSASSAVerifier(rsa));
      }
      if (key instanceof OctetKeyPair okp) {
        return Optional.of(new Ed25519Verifier(okp));
      }
    } catch (JOSEException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** A key that declares its {@code alg} verifies only that algorithm (RFC 7517 §4.4). */
  private static boolean fits(JWK key, JWSAlgorithm algorithm) {
    if (key.getAlgorithm() != null && !key.getAlgorithm().equals(algorithm)) {
      return false;
    }
    if (key instanceof ECKey ec) {
      return JWSAlgorithm.ES256.equals(algorithm) && Curve.P_256.equals(ec.getCurve())
        || JWSAlgorithm.ES384.equals(algorithm) && Curve.P_384.equals(ec.getCurve())
        || JWSAlgorithm.ES512.equals(algorithm) && Curve.P_521.equals(ec.getCurve());
    }
    if (key instanceof RSAKey rsa) {
      return JWSAlgorithm.Family.RSA.contains(algorithm);
    }
    if (key instanceof OctetKeyPair okp) {
      return (JWSAlgorithm.EdDSA.equals(algorithm) || JWSAlgorithm.Ed25519.equals(algorithm))
        && Curve.Ed25519.equals(okp.getCurve());
    }
    return false;
  }

  /**
   * A header that marks extensions as critical cannot be verified here: none is understood (RFC 7515 §4.1.11),
   * as Nimbus' own verifiers decide.
   */
  static boolean hasCriticalExtensions(JWSHeader header) {
    return header.getCriticalParams() != null && !header.getCriticalParams().isEmpty();
  }
}
