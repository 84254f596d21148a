package io.tokengate.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.impl.BaseJWSProvider;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.util.BigIntegers;

import java.math.BigInteger;
import java.util.Set;

/**
 * ES256 signing through Bouncy Castle (see {@link P256} for the numbers), with deterministic nonces (RFC 6979), so
 * that no signature depends on the quality of a random number generator.
 */
public final class Es256Signer extends BaseJWSProvider implements JWSSigner {

  private final ECPrivateKeyParameters privateKey;

  public Es256Signer(ECKey key) throws JOSEException {
    super(Set.of(JWSAlgorithm.ES256));
    if (!Curve.P_256.equals(key.getCurve()) || !key.isPrivate()) {
      throw new JOSEException("a P-256 private key is required");
    }
    this.privateKey = new ECPrivateKeyParameters(key.getD().decodeToBigInteger(), P256.DOMAIN);
  }

  @Override
  public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
    if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
      throw new JOSEException("unsupported algorithm " + header.getAlgorithm());
    }
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, privateKey);
    BigInteger[] rs = signer.generateSignature(P256.sha256(signingInput));
    // JWS wants r and s as two fixed-size big-endian integers (RFC 7518 §3.4), not DER.
    byte[] signature = new byte[2 * P256.COORDINATE_BYTES];
    BigIntegers.asUnsignedByteArray(rs[0], signature, 0, P256.COORDINATE_BYTES);
    BigIntegers.asUnsignedByteArray(rs[1], signature, P256.COORDINATE_BYTES, P256.COORDINATE_BYTES);
    return Base64URL.encode(signature);
  }
}
