package io.tokengate.dpop;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.tokengate.support.Fuzz;
import io.tokengate.support.FuzzInputs;
import io.tokengate.support.FuzzJose;
import io.tokengate.support.TestClock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import com.nimbusds.jose.util.Base64URL;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DPoP header is read before the client is authenticated: any value must end in a proof or in
 * {@code invalid_dpop_proof}, and a properly signed proof with any header and claims is accepted only when RFC 9449
 * §4.3 says so.
 */
class DpopProofVerifierFuzzTest {

  private static final String TARGET = "https://as.example.com/oauth2/token";
  private static final Duration WINDOW = Duration.ofSeconds(60);
  private static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

  private static ECKey key;
  private static PrivateKey signingKey;

  private final TestClock clock = new TestClock();
  private final DpopProofVerifier verifier = new DpopProofVerifier(clock, WINDOW, CLOCK_SKEW);

  @BeforeAll
  static void generateKey() throws Exception {
    key = new ECKeyGenerator(Curve.P_256).generate();
    signingKey = key.toECPrivateKey();
  }

  @Test
  void anyHeaderValueIsAProofOrInvalidDpopProof() {
    Fuzz.tries(60_000).shrinking(FuzzInputs::smallerText).check(random -> switch (random.nextInt(10)) {
      case 0 -> FuzzInputs.text(random, 80, ".-_=");
      case 1 -> FuzzJose.compact(random) + "." + FuzzJose.compact(random);
      default -> FuzzJose.compact(random);
    }, proof -> {
      try {
        verifier.verify(proof, "POST", TARGET);
        return "accepted";
      } catch (OAuthException e) {
        assertEquals(OAuthError.INVALID_DPOP_PROOF, e.error(), e::getMessage);
        return "invalid_dpop_proof";
      }
    });
  }

  /**
   * An RSA jwk of any size and exponent (the moduli are random numbers: nothing may get as far as using them). Those
   * outside 2048..4096 bits with e = 65537 are refused as keys, before any signature work and within the time limit.
   */
  @Test
  void aProofWithAHostileRsaKeyIsRefusedBeforeAnySignatureWork() {
    Fuzz.tries(3_000).check(random -> {
      int bits = FuzzInputs.pick(random, 512, 1024, 2047, 2048, 4096, 4097, 8192, 16384, 30_000);
      BigInteger exponent = FuzzInputs.pick(random, BigInteger.valueOf(65537), BigInteger.valueOf(3),
        BigInteger.ONE, BigInteger.ZERO, new BigInteger(FuzzInputs.between(random, 17, 4_000), new Random(random.nextLong())));
      BigInteger modulus = new BigInteger(bits, new Random(random.nextLong())).setBit(bits - 1).setBit(0);
      Map<String, String> header = new LinkedHashMap<>();
      header.put("typ", FuzzJose.quoted("dpop+jwt"));
      header.put("alg", FuzzJose.quoted(FuzzInputs.pick(random, "RS256", "PS512")));
      header.put("jwk", "{\"kty\":\"RSA\",\"n\":\"" + Base64URL.encode(modulus) + "\",\"e\":\""
        + Base64URL.encode(exponent) + "\"}");
      Map<String, String> claims = Map.of("jti", FuzzJose.quoted("j"), "htm", FuzzJose.quoted("POST"),
        "htu", FuzzJose.quoted(TARGET), "iat", String.valueOf(clock.instant().getEpochSecond()));
      String signingInput = FuzzInputs.base64Url(FuzzJose.object(header).getBytes(StandardCharsets.UTF_8)) + "."
        + FuzzInputs.base64Url(FuzzJose.object(claims).getBytes(StandardCharsets.UTF_8));
      boolean acceptable = bits >= 2048 && bits <= 4096 && exponent.equals(BigInteger.valueOf(65537));
      return new HostileProof(signingInput + "." + FuzzInputs.base64Url(FuzzInputs.bytes(random, 64, "")),
        acceptable);
    }, proof -> {
      OAuthException e = assertThrows(OAuthException.class, () -> verifier.verify(proof.compact, "POST", TARGET));
      assertEquals(OAuthError.INVALID_DPOP_PROOF, e.error(), e::getMessage);
      if (proof.compact.length() > 8192) {
        return "too long to look at";
      }
      if (proof.acceptable) {
        assertTrue(!e.description().contains("not an acceptable key"), e::getMessage);
        return "a key within the bounds";
      }
      // Refused as a key, or as a JWK Nimbus will not even parse (e = 0): either way before the signature.
      assertTrue(!e.description().contains("signature"), e::getMessage);
      return e.description().contains("not an acceptable key") ? "a key refused" : "a key unreadable";
    }).reached("a key refused", 0.4);
  }

  private record HostileProof(String compact, boolean acceptable) {
    @Override
    public String toString() {
      return (acceptable ? "acceptable key: " : "hostile key: ") + compact.substring(0, Math.min(200, compact.length()));
    }
  }

  /** A proof signed by {@link #key}, and what its header and claims said. */
  private record SignedProof(String compact, Map<String, String> header, Map<String, String> claims) {
    @Override
    public String toString() {
      return "header " + header + ", claims " + claims + "\n  " + compact;
    }
  }

  @Test
  void aSignedProofIsAcceptedOnlyWhenItsHeaderAndClaimsAreRight() {
    Fuzz.tries(2_000).check(this::signedProof, proof -> {
      DpopProof accepted;
      try {
        accepted = verifier.verify(proof.compact, "POST", TARGET);
      } catch (OAuthException e) {
        assertEquals(OAuthError.INVALID_DPOP_PROOF, e.error(), e::getMessage);
        return "invalid_dpop_proof";
      }
      // RFC 9449 §4.3: what an accepted proof must have said.
      assertEquals("\"dpop+jwt\"", proof.header.get("typ"));
      assertEquals("\"ES256\"", proof.header.get("alg"));
      assertEquals(key.toPublicJWK().toJSONString(), proof.header.get("jwk"));
      assertEquals("\"POST\"", proof.claims.get("htm"));
      assertEquals(FuzzJose.quoted(accepted.jti()), proof.claims.get("jti"));
      assertTrue(accepted.jti().length() <= 256);
      Instant now = clock.instant();
      assertTrue(!accepted.issuedAt().isBefore(now.minus(WINDOW)) && !accepted.issuedAt().isAfter(now.plus(CLOCK_SKEW)),
        () -> "iat " + accepted.issuedAt() + " outside the window at " + now);
      assertEquals(key.computeThumbprint().toString(), accepted.jkt());
      // The jti is stored as PostgreSQL text: only printable ASCII gets there (NulInJwtClaimsTest).
      assertTrue(accepted.jti().chars().allMatch(c -> c > 0x20 && c < 0x7f), accepted.jti());
      return "accepted";
    }).reached("accepted", 0.005).reached("invalid_dpop_proof", 0.5);
  }

  private SignedProof signedProof(SplittableRandom random) {
    Map<String, String> header = new LinkedHashMap<>();
    header.put("typ", sometimes(random, FuzzJose.quoted("dpop+jwt"),
      FuzzJose.quoted(FuzzInputs.pick(random, "JWT", "DPoP+JWT", "dpop+jwt ", "application/dpop+jwt"))));
    header.put("alg", sometimes(random, FuzzJose.quoted("ES256"),
      FuzzJose.quoted(FuzzInputs.pick(random, "ES384", "ES512", "EdDSA", "RS256", "HS256", "none", "es256"))));
    header.put("jwk", sometimes(random, key.toPublicJWK().toJSONString(),
      FuzzInputs.pick(random, key.toJSONString(), FuzzJose.jwk(random), "null", "{}")));
    if (random.nextInt(6) == 0) {
      header.put(FuzzInputs.pick(random, "crit", "b64", "x5c", "x5u", "jku", "kid", "cty", "alg"),
        FuzzJose.value(random, 2));
    }
    Map<String, String> claims = new LinkedHashMap<>();
    claims.put("jti", sometimes(random, FuzzJose.quoted(random.nextInt(8) == 0 ? FuzzInputs.text(random, 20, "\0")
      : FuzzInputs.unicode(random, 1, 300, "")), FuzzJose.value(random, 1)));
    claims.put("htm", sometimes(random, FuzzJose.quoted("POST"),
      FuzzJose.quoted(FuzzInputs.pick(random, "post", "GET", "POST ", ""))));
    claims.put("htu", sometimes(random, FuzzJose.quoted(TARGET), FuzzJose.quoted(FuzzInputs.pick(random,
      "https://AS.EXAMPLE.com/oauth2/token", "https://as.example.com:443/oauth2/token",
      "https://as.example.com/oauth2/token?x=1#y", "http://as.example.com/oauth2/token",
      "https://as.example.com/oauth2/token/", "https://u@as.example.com/oauth2/token", "https://as.example.com",
      "https://as.example.com:99999/oauth2/token", "//as.example.com/oauth2/token", "https:/oauth2/token",
      "https://[::1/oauth2/token", FuzzInputs.text(random, 30, ":/?#[]@%")))));
    long now = clock.instant().getEpochSecond();
    claims.put("iat", sometimes(random, String.valueOf(now + FuzzInputs.between(random, -90, 15)),
      FuzzInputs.pick(random, "0", "-1", "1e400", "-1e400", "9223372036854775807", "-9223372036854775808",
        "1.7976931348623157e308", now + ".999", "\"" + now + "\"", "null", "[" + now + "]")));
    claims.entrySet().removeIf(claim -> random.nextInt(20) == 0);
    if (random.nextInt(4) == 0) {
      claims.put(FuzzInputs.pick(random, "exp", "nbf", "ath", "nonce", "cnf", "padding"), FuzzJose.value(random, 2));
    }
    // Encoded exactly: the first property feeds damaged encodings; here what was signed is what the oracle knows.
    String signingInput = FuzzInputs.base64Url(FuzzJose.object(header).getBytes(StandardCharsets.UTF_8)) + "."
      + FuzzInputs.base64Url(FuzzJose.object(claims).getBytes(StandardCharsets.UTF_8));
    return new SignedProof(signingInput + "." + sign(signingInput), header, claims);
  }

  /** Mostly the right value, now and then another. */
  private static String sometimes(SplittableRandom random, String right, String other) {
    return random.nextInt(6) > 0 ? right : other;
  }

  private static String sign(String signingInput) {
    try {
      Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
      signature.initSign(signingKey);
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return FuzzInputs.base64Url(signature.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
