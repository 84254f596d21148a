package io.tokengate.crypto;

import io.tokengate.token.SigningKey;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ES256 through Bouncy Castle: interoperable with the JDK's ECDSA, and strict about what it accepts. */
class Es256Test {

  private static final JWSHeader HEADER = new JWSHeader(JWSAlgorithm.ES256);
  private final ECKey key = generate();

  @Test
  void signsTheKnownAnswerOfRfc6979() throws Exception {
    // RFC 6979 §A.2.5: P-256, SHA-256, message "sample".
    HexFormat hex = HexFormat.of();
    ECKey rfcKey = new ECKey.Builder(Curve.P_256,
      Base64URL.encode(hex.parseHex("60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6")),
      Base64URL.encode(hex.parseHex("7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299")))
      .d(Base64URL.encode(hex.parseHex("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721")))
      .build();
    Base64URL signature = new Es256Signer(rfcKey).sign(HEADER, "sample".getBytes(StandardCharsets.US_ASCII));
    assertArrayEquals(hex.parseHex("EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716"
      + "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"), signature.decode());
  }

  @Test
  void interoperatesWithTheJdksEcdsaBothWays() throws Exception {
    for (int i = 0; i < 20; i++) {
      JWSObject byBouncyCastle = sign(new Es256Signer(key), "payload " + i);
      assertTrue(byBouncyCastle.verify(new ECDSAVerifier(key.toPublicJWK())));
      JWSObject byJdk = sign(new ECDSASigner(key), "payload " + i);
      assertTrue(byJdk.verify(new Es256Verifier(key.toPublicJWK())));
    }
  }

  @Test
  void refusesAnotherKeyATamperedPayloadAndAnotherAlgorithm() throws Exception {
    JWSObject signed = sign(new Es256Signer(key), "payload");
    assertFalse(signed.verify(new Es256Verifier(generate().toPublicJWK())));
    assertFalse(verifies(HEADER, "payloaD", signed.getSignature()));
    assertFalse(verifies(new JWSHeader(JWSAlgorithm.ES384), "payload", signed.getSignature()));
  }

  @Test
  void refusesSignaturesOutOfRangeOrOfTheWrongShape() throws Exception {
    BigInteger n = P256.DOMAIN.getN();
    assertFalse(verifies(HEADER, "payload", rs(BigInteger.ZERO, BigInteger.ZERO)), "psychic signature");
    assertFalse(verifies(HEADER, "payload", rs(BigInteger.ONE, BigInteger.ZERO)));
    assertFalse(verifies(HEADER, "payload", rs(n, BigInteger.ONE)));
    assertFalse(verifies(HEADER, "payload", rs(BigInteger.ONE, n)));
    Base64URL valid = sign(new Es256Signer(key), "payload").getSignature();
    byte[] longer = new byte[65];
    System.arraycopy(valid.decode(), 0, longer, 1, 64);
    assertFalse(verifies(HEADER, "payload", Base64URL.encode(longer)));
    assertTrue(verifies(HEADER, "payload", valid));
  }

  @Test
  void refusesCriticalExtensionsItDoesNotUnderstand() throws Exception {
    JWSHeader critical = new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
      .customParam("exp-ext", 1).criticalParams(Set.of("exp-ext")).build();
    Base64URL signature = new Es256Signer(key).sign(critical, signingInput(critical, "payload"));
    assertFalse(new Es256Verifier(key.toPublicJWK()).verify(critical, signingInput(critical, "payload"), signature));
  }

  @Test
  void signingKeysAndVerifiersUseBouncyCastle() {
    assertEquals(Es256Signer.class, SigningKey.of(key, JWSAlgorithm.ES256).signer().getClass());
    assertEquals(Es256Verifier.class, PublicKeyVerifiers.forKey(key.toPublicJWK(), JWSAlgorithm.ES256)
      .orElseThrow().getClass());
  }

  private boolean verifies(JWSHeader header, String payload, Base64URL signature) throws Exception {
    return new Es256Verifier(key.toPublicJWK()).verify(header, signingInput(header, payload), signature);
  }

  private static JWSObject sign(com.nimbusds.jose.JWSSigner signer, String payload) throws Exception {
    JWSObject object = new JWSObject(HEADER, new Payload(payload));
    object.sign(signer);
    return JWSObject.parse(object.serialize());
  }

  private static byte[] signingInput(JWSHeader header, String payload) {
    return (header.toBase64URL() + "." + Base64URL.encode(payload)).getBytes(StandardCharsets.US_ASCII);
  }

  private static Base64URL rs(BigInteger r, BigInteger s) {
    byte[] bytes = new byte[64];
    org.bouncycastle.util.BigIntegers.asUnsignedByteArray(r, bytes, 0, 32);
    org.bouncycastle.util.BigIntegers.asUnsignedByteArray(s, bytes, 32, 32);
    return Base64URL.encode(bytes);
  }

  private static ECKey generate() {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID("test").generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
