package io.tokengate.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.impl.BaseJWSProvider;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Set;

/**
 * ES256 verification of client assertions and DPoP proofs through Bouncy Castle (see {@link P256} for the numbers).
 * The public point is validated when the verifier is made (on the curve, not the identity), and r and s must both lie
 * in [1, n-1], so that neither an invalid-curve key nor an all-zero "psychic" signature can verify.
 */
public final class Es256Verifier extends BaseJWSProvider implements JWSVerifier {

  private final ECPublicKeyParameters publicKey;

  public Es256Verifier(ECKey key) throws JOSEException {
    super(Set.of(JWSAlgorithm.ES256));
    if (!Curve.P_256.equals(key.getCurve())) {
      throw new JOSEException("a P-256 key is required");
    }
    try {
      this.publicKey = new ECPublicKeyParameters(
        P256.DOMAIN.getCurve().createPoint(key.getX().decodeToBigInteger(), key.getY().decodeToBigInteger()),
        P256.DOMAIN);
    } catch (IllegalArgumentException e) {
      throw new JOSEException("not a valid P-256 public key", e);
    }
  }

  @Override
  public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) {
    byte[] bytes = signature.decode();
    if (!JWSAlgorithm.ES256.equals(header.getAlgorithm()) || PublicKeyVerifiers.hasCriticalExtensions(header)
      || bytes.length != 2 * P256.COORDINATE_BYTES) {
      return false;
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(bytes, 0, P256.COORDINATE_BYTES));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(bytes, P256.COORDINATE_BYTES, bytes.length));
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, publicKey);
    // Bouncy Castle refuses r or s outside [1, n-1] before any arithmetic.
    return verifier.verifySignature(P256.sha256(signingInput), r, s);
  }
}
