package io.tokengate.crypto;

import io.tokengate.crypto.Digests;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;


/**
 * ES256 (ECDSA on P-256 with SHA-256) through Bouncy Castle's lightweight API, whose P-256 arithmetic is specialised
 * for the curve. Measured here per operation (warmed up): signing 57–67 µs against the JDK's 387 µs on Java 17 and
 * 100 µs on Java 25; verifying 54–59 µs against 712 and 317 µs. Going through the lightweight API rather than Bouncy
 * Castle's JCA provider (182 µs per signature) also saves the provider's 140–180 ms of class loading at start-up.
 */
public final class P256 {

  static final int COORDINATE_BYTES = 32;
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
  public static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(),
    CURVE.getH(), CURVE.getSeed());

  private P256() {
  }

  public static byte[] sha256(byte[] input) {
    return Digests.sha256(input);
  }
}
