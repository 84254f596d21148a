package io.tokengate.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.impl.BaseJWSProvider;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.util.Set;

/**
 * EdDSA (Ed25519, RFC 8037) signing through Bouncy Castle, which tokengate already carries for Argon2. Nimbus'
 * own Ed25519 signer needs Google Tink and its protobuf runtime, several megabytes for one primitive.
 */
public final class Ed25519Signer extends BaseJWSProvider implements JWSSigner {

  private final Ed25519PrivateKeyParameters privateKey;
  // Derived once: signing without it would recompute it for every token.
  private final Ed25519PublicKeyParameters publicKey;

  public Ed25519Signer(OctetKeyPair key) throws JOSEException {
    super(Set.of(JWSAlgorithm.EdDSA));
    if (!Curve.Ed25519.equals(key.getCurve()) || !key.isPrivate()) {
      throw new JOSEException("an Ed25519 private key is required");
    }
    this.privateKey = new Ed25519PrivateKeyParameters(key.getDecodedD(), 0);
    this.publicKey = privateKey.generatePublicKey();
  }

  @Override
  public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
    if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
      throw new JOSEException("unsupported algorithm " + header.getAlgorithm());
    }
    byte[] signature = new byte[Ed25519PrivateKeyParameters.SIGNATURE_SIZE];
    privateKey.sign(Ed25519.Algorithm.Ed25519, publicKey, null, signingInput, 0, signingInput.length, signature, 0);
    return Base64URL.encode(signature);
  }
}
