package io.tokengate.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.impl.BaseJWSProvider;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.util.Set;

/** EdDSA (Ed25519; also under its fully specified name, RFC 9864) verification through Bouncy Castle; see {@link Ed25519Signer} for why not Nimbus' own. */
public final class Ed25519Verifier extends BaseJWSProvider implements JWSVerifier {

  private final Ed25519PublicKeyParameters publicKey;

  public Ed25519Verifier(OctetKeyPair key) throws JOSEException {
    super(Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519));
    if (!Curve.Ed25519.equals(key.getCurve())) {
      throw new JOSEException("an Ed25519 key is required");
    }
    byte[] x = key.getDecodedX();
    // Bouncy Castle rejects a short x or an invalid point with unchecked exceptions; a foreign key (client assertion,
    // DPoP proof) must fail with a JOSEException instead, so that PublicKeyVerifiers makes no verifier for it.
    if (x.length != Ed25519PublicKeyParameters.KEY_SIZE) {
      throw new JOSEException("an Ed25519 public key is " + Ed25519PublicKeyParameters.KEY_SIZE + " bytes");
    }
    try {
      this.publicKey = new Ed25519PublicKeyParameters(x, 0);
    } catch (IllegalArgumentException e) {
      throw new JOSEException("not a valid Ed25519 public key", e);
    }
  }

  @Override
  public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) {
    byte[] bytes = signature.decode();
    return supportedJWSAlgorithms().contains(header.getAlgorithm())
      && !PublicKeyVerifiers.hasCriticalExtensions(header)
      && bytes.length == Ed25519.SIGNATURE_SIZE
      && publicKey.verify(Ed25519.Algorithm.Ed25519, null, signingInput, 0, signingInput.length, bytes, 0);
  }
}
