package io.tokengate.dpop;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.tokengate.crypto.PublicKeyVerifiers;
import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * Checks a DPoP proof sent to the token endpoint (RFC 9449 §4.2, §4.3): a JWT of type {@code dpop+jwt}, signed with
 * an asymmetric algorithm by the public key in its own {@code jwk} header, for this request's method and URI, and
 * issued recently. It does not track replays: the caller records {@link DpopProof#jti()} until
 * {@link DpopProof#replayExpiry()}, where every replica sees it.
 */
public final class DpopProofVerifier {

  private static final String DPOP_JWT = "dpop+jwt";
  private static final int MAX_PROOF_CHARS = 8 * 1024;
  private static final int MAX_JTI_CHARS = 256;

  private final Clock clock;
  private final Duration window;
  private final Duration clockSkew;

  /**
   * @param window    how old a proof's {@code iat} may be
   * @param clockSkew how far in the future a proof's {@code iat} may be, for clients whose clocks run ahead
   */
  public DpopProofVerifier(Clock clock, Duration window, Duration clockSkew) {
    if (window.isNegative() || clockSkew.isNegative()) {
      throw new IllegalArgumentException("the DPoP window and clock skew must not be negative");
    }
    this.clock = Objects.requireNonNull(clock);
    this.window = window;
    this.clockSkew = clockSkew;
  }

  /** The values of {@code dpop_signing_alg_values_supported}, in the order the metadata advertises them. */
  public static List<String> supportedAlgorithms() {
    return PublicKeyVerifiers.ALGORITHMS.stream().map(JWSAlgorithm::getName).toList();
  }

  /**
   * @param proof      the value of the {@code DPoP} header
   * @param httpMethod the method of the request the proof came with
   * @param targetUri  the absolute URI of that request, as the client addressed it
   * @return the proof's key thumbprint and replay data
   * @throws OAuthException {@code invalid_dpop_proof} saying which check failed
   */
  public DpopProof verify(String proof, String httpMethod, String targetUri) {
    TargetUri target = TargetUri.parse(targetUri)
      .orElseThrow(() -> new IllegalArgumentException("the target URI is not an absolute http(s) URI"));
    SignedJWT jwt = parse(proof);
    JWK jwk = checkHeader(jwt.getHeader());
    checkSignature(jwt, jwk);
    JWTClaimsSet claims = claims(jwt);
    String jti = checkJti(claims);
    checkRequest(claims, Objects.requireNonNull(httpMethod), target);
    Instant issuedAt = checkIssuedAt(claims);
    return new DpopProof(thumbprint(jwk), jti, issuedAt, issuedAt.plus(window).plus(clockSkew));
  }

  private static SignedJWT parse(String proof) {
    if (proof == null || proof.isEmpty()) {
      throw invalid("the DPoP proof is empty");
    }
    if (proof.length() > MAX_PROOF_CHARS) {
      throw invalid("the DPoP proof exceeds " + MAX_PROOF_CHARS + " characters");
    }
    if (proof.chars().filter(c -> c == '.').count() != 2) {
      throw invalid("the DPoP proof is not a compact JWS");
    }
    JWT jwt;
    try {
      jwt = JWTParser.parse(proof);
    } catch (ParseException e) {
      // Nimbus' message may quote the input; ours never does.
      throw invalid("the DPoP proof is not a well-formed JWT");
    }
    if (jwt instanceof PlainJWT) {
      throw invalid("the DPoP proof is not signed");
    }
    if (!(jwt instanceof SignedJWT signed)) {
      throw invalid("the DPoP proof is not a compact JWS");
    }
    return signed;
  }

  /** @return the key the proof says it is signed with: its {@code jwk}, and nothing else */
  private static JWK checkHeader(JWSHeader header) {
    if (header.getType() == null || !DPOP_JWT.equals(header.getType().getType())) {
      throw invalid("the DPoP proof typ must be dpop+jwt");
    }
    if (!PublicKeyVerifiers.ALGORITHMS.contains(header.getAlgorithm())) {
      throw invalid("the DPoP proof alg is not supported");
    }
    // RFC 7515 §4.1.11: a critical parameter we do not understand makes the JWS invalid; DPoP defines none.
    if (header.getCriticalParams() != null || !header.isBase64URLEncodePayload()) {
      throw invalid("the DPoP proof uses critical or b64 header parameters");
    }
    JWK jwk = header.getJWK();
    if (jwk == null) {
      throw invalid("the DPoP proof has no jwk header");
    }
    // Nimbus already refuses a private jwk when parsing; checked again since a leaked private key must never pass.
    if (jwk.isPrivate()) {
      throw invalid("the DPoP proof jwk must be a public key");
    }
    if (header.getJWKURL() != null || header.getX509CertURL() != null || header.getX509CertChain() != null) {
      throw invalid("the DPoP proof must name its key by jwk alone, not jku, x5u or x5c");
    }
    // Before any signature work, on the event loop: a huge RSA modulus or exponent would hold it.
    if (!PublicKeyVerifiers.acceptable(jwk)) {
      throw invalid("the DPoP proof jwk is not an acceptable key: RSA of 2048 to 4096 bits with exponent 65537, "
        + "P-256, P-384, P-521 or Ed25519");
    }
    return jwk;
  }

  private static void checkSignature(SignedJWT jwt, JWK jwk) {
    JWSVerifier verifier = PublicKeyVerifiers.forKey(jwk, jwt.getHeader().getAlgorithm())
      .orElseThrow(() -> invalid("the DPoP proof jwk cannot verify its alg"));
    boolean verified;
    try {
      verified = jwt.verify(verifier);
    } catch (JOSEException e) {
      verified = false;
    }
    if (!verified) {
      throw invalid("the DPoP proof signature does not verify with its jwk");
    }
  }

  private static JWTClaimsSet claims(SignedJWT jwt) {
    try {
      return jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      // Also a registered claim of the wrong type, such as a numeric jti or a string iat.
      throw invalid("the DPoP proof claims are not a valid JWT claims set");
    }
  }

  private static String checkJti(JWTClaimsSet claims) {
    String jti = claims.getJWTID();
    if (jti == null || jti.isEmpty()) {
      throw invalid("the DPoP proof has no jti");
    }
    if (jti.length() > MAX_JTI_CHARS) {
      throw invalid("the DPoP proof jti exceeds " + MAX_JTI_CHARS + " characters");
    }
    // Kept in PostgreSQL to refuse replays: a NUL or a lone surrogate would not survive the trip (found by fuzzing).
    if (!jti.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw invalid("the DPoP proof jti must be printable ASCII");
    }
    return jti;
  }

  private static void checkRequest(JWTClaimsSet claims, String httpMethod, TargetUri target) {
    if (!httpMethod.equals(stringClaim(claims, "htm"))) {
      throw invalid("the DPoP proof htm does not match the request method");
    }
    String htu = stringClaim(claims, "htu");
    if (htu == null || TargetUri.parse(htu).filter(target::equals).isEmpty()) {
      throw invalid("the DPoP proof htu does not match the request URI");
    }
  }

  private Instant checkIssuedAt(JWTClaimsSet claims) {
    Date iat = claims.getIssueTime();
    if (iat == null) {
      throw invalid("the DPoP proof has no iat");
    }
    Instant issuedAt = iat.toInstant();
    Instant now = clock.instant();
    if (issuedAt.isBefore(now.minus(window))) {
      throw invalid("the DPoP proof iat is too old");
    }
    if (issuedAt.isAfter(now.plus(clockSkew))) {
      throw invalid("the DPoP proof iat is in the future");
    }
    return issuedAt;
  }

  private static String stringClaim(JWTClaimsSet claims, String name) {
    try {
      return claims.getStringClaim(name);
    } catch (ParseException e) {
      throw invalid("the DPoP proof " + name + " must be a string");
    }
  }

  private static String thumbprint(JWK jwk) {
    try {
      return jwk.computeThumbprint().toString();
    } catch (JOSEException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static OAuthException invalid(String description) {
    return OAuthException.of(OAuthError.INVALID_DPOP_PROOF, description);
  }
}
