package io.tokengate.dpop;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.id.JWTID;
import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.tokengate.support.TestClock;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DPoP proofs at the token endpoint: the valid ones made by a real client library (Nimbus OAuth 2.0 SDK), the
 * malformed ones put together by hand.
 */
class DpopProofVerifierTest {

  private static final String TOKEN_ENDPOINT = "https://as.example.com/oauth2/token";
  private static final Duration WINDOW = Duration.ofSeconds(60);
  private static final Duration CLOCK_SKEW = Duration.ofSeconds(5);
  private static final JOSEObjectType DPOP_JWT = new JOSEObjectType("dpop+jwt");

  private static ECKey ecKey;
  private static ECKey otherEcKey;
  private static RSAKey rsaKey;

  private final TestClock clock = new TestClock();
  private final DpopProofVerifier verifier = new DpopProofVerifier(clock, WINDOW, CLOCK_SKEW);

  @BeforeAll
  static void generateKeys() throws Exception {
    ecKey = new ECKeyGenerator(Curve.P_256).generate();
    otherEcKey = new ECKeyGenerator(Curve.P_256).generate();
    rsaKey = new RSAKeyGenerator(2048).generate();
  }

  @Test
  void es256ProofFromTheClientLibraryIsValid() throws Exception {
    Instant iat = now();
    String jti = new JWTID().getValue();

    DpopProof proof = verifier.verify(libraryProof(ecKey, JWSAlgorithm.ES256, jti, "POST", TOKEN_ENDPOINT, iat),
      "POST", TOKEN_ENDPOINT);

    assertEquals(ecKey.computeThumbprint().toString(), proof.jkt());
    assertEquals(jti, proof.jti());
    assertEquals(iat, proof.issuedAt());
    assertEquals(iat.plus(WINDOW).plus(CLOCK_SKEW), proof.replayExpiry());
  }

  @Test
  void rs256ProofFromTheClientLibraryIsValid() throws Exception {
    DpopProof proof = verifier.verify(libraryProof(rsaKey, JWSAlgorithm.RS256, "POST", TOKEN_ENDPOINT),
      "POST", TOKEN_ENDPOINT);

    assertEquals(rsaKey.computeThumbprint().toString(), proof.jkt());
  }

  @Test
  void ps256ProofFromTheClientLibraryIsValid() throws Exception {
    DpopProof proof = verifier.verify(libraryProof(rsaKey, JWSAlgorithm.PS256, "POST", TOKEN_ENDPOINT),
      "POST", TOKEN_ENDPOINT);

    assertEquals(rsaKey.computeThumbprint().toString(), proof.jkt());
  }

  @Test
  void eddsaProofSignedWithEd25519IsValid() throws Exception {
    Ed25519PrivateKeyParameters privateKey = new Ed25519PrivateKeyParameters(new SecureRandom());
    OctetKeyPair jwk = new OctetKeyPair.Builder(Curve.Ed25519,
      Base64URL.encode(privateKey.generatePublicKey().getEncoded())).build();
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.EdDSA).type(DPOP_JWT).jwk(jwk).build();

    String proof = compact(header.toJSONObject(), claims().build(), input -> {
      Ed25519Signer signer = new Ed25519Signer();
      signer.init(true, privateKey);
      signer.update(input, 0, input.length);
      return signer.generateSignature();
    });

    assertEquals(jwk.computeThumbprint().toString(), verifier.verify(proof, "POST", TOKEN_ENDPOINT).jkt());
  }

  @Test
  void proofTypedOtherThanDpopJwtIsRejected() throws Exception {
    assertRejected(signed(header(JWSAlgorithm.ES256).type(JOSEObjectType.JWT), claims(), ecSigner(ecKey)),
      "typ must be dpop+jwt");
    assertRejected(signed(new JWSHeader.Builder(JWSAlgorithm.ES256).jwk(ecKey.toPublicJWK()), claims(),
      ecSigner(ecKey)), "typ must be dpop+jwt");
  }

  @Test
  void unsignedProofIsRejected() {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "none");
    header.put("typ", "dpop+jwt");
    header.put("jwk", ecKey.toPublicJWK().toJSONObject());
    String proof = Base64URL.encode(JSONObjectUtils.toJSONString(header)) + "."
      + Base64URL.encode(claims().build().toString()) + ".";

    assertRejected(proof, "not signed");
  }

  @Test
  void hmacProofIsRejectedEvenWithAPublicJwk() throws Exception {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);

    assertRejected(signed(header(JWSAlgorithm.HS256), claims(), new MACSigner(secret)), "alg is not supported");
  }

  @Test
  void jwkWithPrivatePartsIsRejected() throws Exception {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "ES256");
    header.put("typ", "dpop+jwt");
    header.put("jwk", ecKey.toJSONObject());

    // Nimbus refuses a private jwk header already when parsing, so the proof is reported as malformed.
    assertRejected(compact(header, claims().build(), rawEcSignature(ecKey)), "DPoP proof");
  }

  @Test
  void proofNamingItsKeyByKidInsteadOfJwkIsRejected() throws Exception {
    JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(DPOP_JWT).keyID("client-key-1");

    assertRejected(signed(header, claims(), ecSigner(ecKey)), "has no jwk");
  }

  @Test
  void proofPointingToAnotherKeySourceBesidesItsJwkIsRejected() throws Exception {
    JWSHeader.Builder header = header(JWSAlgorithm.ES256).jwkURL(URI.create("https://attacker.example/jwks"));

    assertRejected(signed(header, claims(), ecSigner(ecKey)), "jwk alone");
  }

  @Test
  void proofWithCriticalHeaderParametersIsRejected() throws Exception {
    JWSHeader.Builder header = header(JWSAlgorithm.ES256).criticalParams(Set.of("exp")).customParam("exp", 1);

    assertRejected(signed(header, claims(), ecSigner(ecKey)), "critical");
  }

  @Test
  void signatureByAnotherKeyThanTheEmbeddedJwkIsRejected() throws Exception {
    assertRejected(signed(header(JWSAlgorithm.ES256), claims(), ecSigner(otherEcKey)), "signature does not verify");
  }

  @Test
  void jwkThatCannotVerifyTheDeclaredAlgIsRejected() throws Exception {
    JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(DPOP_JWT).jwk(ecKey.toPublicJWK());

    assertRejected(compact(header.build().toJSONObject(), claims().build(), rawEcSignature(ecKey)),
      "cannot verify its alg");
  }

  @ParameterizedTest
  @ValueSource(strings = {"AQ", "__________________________________________8", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
  void ed25519JwkThatIsNotAPublicKeyIsRejected(String x) throws Exception {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "EdDSA");
    header.put("typ", "dpop+jwt");
    header.put("jwk", Map.of("kty", "OKP", "crv", "Ed25519", "x", x));

    assertRejected(compact(header, claims().build(), input -> new byte[64]), "cannot verify its alg");
  }

  @Test
  void htmOtherThanTheRequestMethodIsRejected() throws Exception {
    assertRejected(libraryProof(ecKey, JWSAlgorithm.ES256, "GET", TOKEN_ENDPOINT), "htm does not match");
    assertRejected(libraryProof(ecKey, JWSAlgorithm.ES256, "post", TOKEN_ENDPOINT), "htm does not match");
    assertRejected(signed(header(JWSAlgorithm.ES256), claims().claim("htm", null), ecSigner(ecKey)),
      "htm does not match");
    assertRejected(signed(header(JWSAlgorithm.ES256), claims().claim("htm", List.of("POST")), ecSigner(ecKey)),
      "htm must be a string");
  }

  @Test
  void htuWithAnotherPathIsRejected() throws Exception {
    assertRejected(libraryProof(ecKey, JWSAlgorithm.ES256, "POST", "https://as.example.com/oauth2/introspect"),
      "htu does not match");
    assertRejected(libraryProof(ecKey, JWSAlgorithm.ES256, "POST", "https://as.example.com/oauth2/token/"),
      "htu does not match");
    assertRejected(libraryProof(ecKey, JWSAlgorithm.ES256, "POST", "https://as.example.com/OAuth2/token"),
      "htu does not match");
  }

  @Test
  void htuWithAnotherHostIsRejected() throws Exception {
    assertRejected(libraryProof(ecKey, JWSAlgorithm.ES256, "POST", "https://rs.example.com/oauth2/token"),
      "htu does not match");
    assertRejected(libraryProof(ecKey, JWSAlgorithm.ES256, "POST", "https://as.example.com@rs.example.com/oauth2/token"),
      "htu does not match");
  }

  @Test
  void htuWithAnotherSchemeOrPortIsRejected() throws Exception {
    assertRejected(libraryProof(ecKey, JWSAlgorithm.ES256, "POST", "http://as.example.com/oauth2/token"),
      "htu does not match");
    assertRejected(libraryProof(ecKey, JWSAlgorithm.ES256, "POST", "https://as.example.com:8443/oauth2/token"),
      "htu does not match");
  }

  @Test
  void htuWithQueryAndFragmentMatchesTheRequestUri() throws Exception {
    // The client library refuses to put a query in htu, so this proof is made by hand.
    String htu = "https://as.example.com/oauth2/token?tenant=a#top";
    String proof = signed(header(JWSAlgorithm.ES256), claims().claim("htu", htu), ecSigner(ecKey));

    assertEquals(ecKey.computeThumbprint().toString(), verifier.verify(proof, "POST", TOKEN_ENDPOINT).jkt());
  }

  @Test
  void htuThatIsNotAnAbsoluteHttpUriIsRejected() throws Exception {
    for (String htu : List.of("/oauth2/token", "urn:example:token", "https:as.example.com/oauth2/token", "not a uri")) {
      assertRejected(signed(header(JWSAlgorithm.ES256), claims().claim("htu", htu), ecSigner(ecKey)),
        "htu does not match");
    }
  }

  @Test
  void htuWithTheDefaultPortOrOtherCaseInSchemeAndHostMatchesTheRequestUri() throws Exception {
    for (String htu : List.of("https://as.example.com:443/oauth2/token", "HTTPS://AS.Example.COM/oauth2/token")) {
      String proof = signed(header(JWSAlgorithm.ES256), claims().claim("htu", htu), ecSigner(ecKey));

      assertEquals(ecKey.computeThumbprint().toString(), verifier.verify(proof, "POST", TOKEN_ENDPOINT).jkt(), htu);
    }
    String proof = libraryProof(ecKey, JWSAlgorithm.ES256, "POST", "http://localhost/oauth2/token");
    assertEquals(ecKey.computeThumbprint().toString(),
      verifier.verify(proof, "POST", "http://localhost:80/oauth2/token").jkt());
  }

  @Test
  void iatOlderThanTheWindowIsRejected() throws Exception {
    String proof = libraryProof(ecKey, JWSAlgorithm.ES256, "POST", TOKEN_ENDPOINT);
    clock.advance(WINDOW.plusSeconds(1));

    assertRejected(proof, "iat is too old");
  }

  @Test
  void iatWithinTheClockSkewIsAccepted() throws Exception {
    Instant iat = now().plus(CLOCK_SKEW).minusSeconds(1);
    String proof = libraryProof(ecKey, JWSAlgorithm.ES256, new JWTID().getValue(), "POST", TOKEN_ENDPOINT, iat);

    assertEquals(iat, verifier.verify(proof, "POST", TOKEN_ENDPOINT).issuedAt());
  }

  @Test
  void iatFurtherInTheFutureThanTheClockSkewIsRejected() throws Exception {
    Instant iat = now().plus(CLOCK_SKEW).plusSeconds(2);

    assertRejected(libraryProof(ecKey, JWSAlgorithm.ES256, new JWTID().getValue(), "POST", TOKEN_ENDPOINT, iat),
      "iat is in the future");
  }

  @Test
  void proofWithoutIatIsRejected() throws Exception {
    assertRejected(signed(header(JWSAlgorithm.ES256), claims().issueTime(null), ecSigner(ecKey)), "has no iat");
    assertRejected(signed(header(JWSAlgorithm.ES256), claims().claim("iat", "yesterday"), ecSigner(ecKey)),
      "not a valid JWT claims set");
  }

  @Test
  void proofWithoutJtiIsRejected() throws Exception {
    assertRejected(signed(header(JWSAlgorithm.ES256), claims().jwtID(null), ecSigner(ecKey)), "has no jti");
    assertRejected(signed(header(JWSAlgorithm.ES256), claims().jwtID(""), ecSigner(ecKey)), "has no jti");
    assertRejected(signed(header(JWSAlgorithm.ES256), claims().claim("jti", 42), ecSigner(ecKey)),
      "not a valid JWT claims set");
  }

  @Test
  void jtiLongerThan256CharactersIsRejected() throws Exception {
    assertRejected(signed(header(JWSAlgorithm.ES256), claims().jwtID("j".repeat(257)), ecSigner(ecKey)),
      "jti exceeds 256");
  }

  @Test
  void proofLargerThan8KibIsRejected() throws Exception {
    String proof = signed(header(JWSAlgorithm.ES256), claims().claim("padding", "p".repeat(8 * 1024)), ecSigner(ecKey));

    assertRejected(proof, "exceeds 8192");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "garbage", "a.b", "a.b.c", "...", "a.b.c.d.e", "eyJhbGciOiJFUzI1NiJ9.e30.",
    "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.e30.c2ln", "\u00e9.\u00e9.\u00e9"})
  void garbageIsRejected(String proof) {
    assertRejected(proof, "DPoP proof");
  }

  @Test
  void claimsThatAreNotAJsonObjectAreRejected() throws Exception {
    JWSHeader header = header(JWSAlgorithm.ES256).build();
    String signingInput = header.toBase64URL() + "." + Base64URL.encode("[1, 2]");
    String proof = signingInput + "." + new ECDSASigner(ecKey).sign(header, signingInput.getBytes(StandardCharsets.US_ASCII));

    assertRejected(proof, "not a valid JWT claims set");
  }

  @ParameterizedTest
  @ValueSource(strings = {"8192:65537", "16384:65537", "2048:3", "4096:4294967297", "1024:65537"})
  void aProofWithAnRsaKeyOutsideTheBoundsIsRefusedBeforeAnySignatureWork(String bitsAndExponent) throws Exception {
    String[] parts = bitsAndExponent.split(":");
    int bits = Integer.parseInt(parts[0]);
    java.math.BigInteger modulus = new java.math.BigInteger(bits, new SecureRandom()).setBit(bits - 1).setBit(0);
    RSAKey hostile = new RSAKey.Builder(Base64URL.encode(modulus),
      Base64URL.encode(new java.math.BigInteger(parts[1]))).build();

    String proof = signed(new JWSHeader.Builder(JWSAlgorithm.RS256).type(DPOP_JWT).jwk(hostile), claims(),
      new com.nimbusds.jose.crypto.RSASSASigner(rsaKey));

    assertRejected(proof, "not an acceptable key");
  }

  @Test
  void supportedAlgorithmsAreTheAsymmetricOnesOnly() {
    List<String> algorithms = DpopProofVerifier.supportedAlgorithms();

    assertTrue(algorithms.containsAll(List.of("ES256", "RS256", "PS256", "EdDSA")));
    assertFalse(algorithms.stream().anyMatch(alg -> alg.startsWith("HS") || alg.equals("none")));
  }

  private void assertRejected(String proof, String descriptionPart) {
    OAuthException e = assertThrows(OAuthException.class, () -> verifier.verify(proof, "POST", TOKEN_ENDPOINT));

    assertEquals(OAuthError.INVALID_DPOP_PROOF, e.error());
    assertTrue(e.description().contains(descriptionPart), e.description());
    assertTrue(proof.isEmpty() || !e.description().contains(proof), "the description never echoes the proof");
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  private String libraryProof(JWK key, JWSAlgorithm algorithm, String htm, String htu) throws Exception {
    return libraryProof(key, algorithm, new JWTID().getValue(), htm, htu, now());
  }

  private static String libraryProof(JWK key, JWSAlgorithm algorithm, String jti, String htm, String htu, Instant iat)
    throws Exception {
    return new DefaultDPoPProofFactory(key, algorithm)
      .createDPoPJWT(new JWTID(jti), htm, URI.create(htu), Date.from(iat), null)
      .serialize();
  }

  private static JWSHeader.Builder header(JWSAlgorithm algorithm) {
    return new JWSHeader.Builder(algorithm).type(DPOP_JWT).jwk(ecKey.toPublicJWK());
  }

  private JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
      .jwtID(UUID.randomUUID().toString())
      .claim("htm", "POST")
      .claim("htu", TOKEN_ENDPOINT)
      .issueTime(Date.from(now()));
  }

  private static String signed(JWSHeader.Builder header, JWTClaimsSet.Builder claims, JWSSigner signer)
    throws Exception {
    SignedJWT jwt = new SignedJWT(header.build(), claims.build());
    jwt.sign(signer);
    return jwt.serialize();
  }

  private static JWSSigner ecSigner(ECKey key) throws Exception {
    return new ECDSASigner(key);
  }

  private static RawSigner rawEcSignature(ECKey key) {
    return input -> new ECDSASigner(key).sign(new JWSHeader(JWSAlgorithm.ES256), input).decode();
  }

  /** A compact JWS put together byte by byte, for headers Nimbus' builders would refuse to make. */
  private static String compact(Map<String, Object> header, JWTClaimsSet claims, RawSigner signer) throws Exception {
    String signingInput = Base64URL.encode(JSONObjectUtils.toJSONString(header)) + "."
      + Base64URL.encode(claims.toString());
    return signingInput + "." + Base64URL.encode(signer.sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
  }

  @FunctionalInterface
  private interface RawSigner {
    byte[] sign(byte[] signingInput) throws Exception;
  }
}
