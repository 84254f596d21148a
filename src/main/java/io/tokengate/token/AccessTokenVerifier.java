package io.tokengate.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.Optional;

/**
 * Recognises access tokens this server issued and that have not expired: an RFC 9068 JWT signed by one of our keys
 * with our issuer. Whether it was revoked is a separate question ({@link AccessTokenRevocations}).
 */
public final class AccessTokenVerifier {

  private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

  private final String issuer;
  private final SigningKeys keys;
  private final Clock clock;

  public AccessTokenVerifier(URI issuer, SigningKeys keys, Clock clock) {
    this.issuer = issuer.toString();
    this.keys = keys;
    this.clock = clock;
  }

  /** @return the claims of a valid, unexpired access token of ours; empty for anything else, garbage included */
  public Optional<JWTClaimsSet> verify(String token) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      // Tokens of ours carry no critical header parameters; one we would have to understand is not ours.
      if (!AT_JWT.equals(jwt.getHeader().getType()) || jwt.getHeader().getCriticalParams() != null) {
        return Optional.empty();
      }
      Optional<JWSVerifier> verifier = keys.verifierFor(jwt.getHeader());
      if (verifier.isEmpty() || !jwt.verify(verifier.get())) {
        return Optional.empty();
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Date expiry = claims.getExpirationTime();
      if (!issuer.equals(claims.getIssuer()) || expiry == null || !expiry.toInstant().isAfter(clock.instant())
        || claims.getJWTID() == null) {
        return Optional.empty();
      }
      return Optional.of(claims);
    } catch (ParseException | JOSEException | IllegalStateException e) {
      return Optional.empty();
    }
  }
}
