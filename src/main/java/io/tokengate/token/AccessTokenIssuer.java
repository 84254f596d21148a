package io.tokengate.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Signs JWT access tokens in the RFC 9068 profile. */
public final class AccessTokenIssuer {

  /** The claim that ties an access token to its refresh-token family (a session, as in OpenID Connect). */
  public static final String SESSION_CLAIM = "sid";

  private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final String issuer;
  private final List<String> audience;
  private final SigningKeys keys;
  private final Clock clock;

  public AccessTokenIssuer(URI issuer, String audience, SigningKeys keys, Clock clock) {
    this.issuer = issuer.toString();
    this.audience = List.of(audience.isEmpty() ? this.issuer : audience);
    this.keys = keys;
    this.clock = clock;
  }

  /**
   * @param subject  the user id, or the client id for a client acting on its own behalf
   * @param familyId     the refresh-token family the token belongs to, if any: its {@code sid}, by which revoking
   *                     the family makes introspection report the token inactive too
   * @param confirmation the certificate or DPoP key the token is bound to, if any
   */
  public String issue(String subject, String clientId, Collection<String> scopes, Duration lifetime,
                      Optional<UUID> familyId, Confirmation confirmation) {
    Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
      .issuer(issuer)
      .subject(subject)
      .audience(audience)
      .issueTime(Date.from(now))
      .expirationTime(Date.from(now.plus(lifetime)))
      .jwtID(newJti())
      .claim("client_id", clientId);
    if (!scopes.isEmpty()) {
      claims.claim("scope", String.join(" ", scopes));
    }
    familyId.ifPresent(family -> claims.claim(SESSION_CLAIM, family.toString()));
    if (!confirmation.isEmpty()) {
      claims.claim(Confirmation.CLAIM, confirmation.claim());
    }
    SigningKey key = keys.active();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(key.algorithm()).type(AT_JWT).keyID(key.kid()).build(),
      claims.build());
    try {
      jwt.sign(key.signer());
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed with key " + key.kid(), e);
    }
    return jwt.serialize();
  }

  private static String newJti() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return BASE64URL.encodeToString(bytes);
  }
}
