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
import java.util.Map;
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
  private final long maxSize;

  public AccessTokenIssuer(URI issuer, String audience, SigningKeys keys, Clock clock) {
    this(issuer, audience, keys, clock, Long.MAX_VALUE);
  }

  /** @param maxSize {@code tokens.max_size}: a larger token is refused with server_error */
  public AccessTokenIssuer(URI issuer, String audience, SigningKeys keys, Clock clock, long maxSize) {
    this.issuer = issuer.toString();
    this.audience = List.of(audience.isEmpty() ? this.issuer : audience);
    this.keys = keys;
    this.clock = clock;
    this.maxSize = maxSize;
  }

  public String issuer() {
    return issuer;
  }

  public SigningKeys keys() {
    return keys;
  }

  public long maxSize() {
    return maxSize;
  }

  public String issue(String subject, String clientId, Collection<String> scopes, Duration lifetime,
                      Optional<UUID> familyId, Confirmation confirmation) {
    return issue(subject, clientId, scopes, lifetime, familyId, confirmation, List.of(), Map.of());
  }

  /**
   * @param subject  the user id, or the client id for a client acting on its own behalf
   * @param familyId     the refresh-token family the token belongs to, if any: its {@code sid}, by which revoking
   *                     the family makes introspection report the token inactive too
   * @param confirmation the certificate or DPoP key the token is bound to, if any
   * @param resources    the resources it is for (RFC 8707): its {@code aud}; empty for {@code tokens.audience}
   * @param userClaims   the mapped user claims (never one tokengate owns: those are written after them)
   */
  public String issue(String subject, String clientId, Collection<String> scopes, Duration lifetime,
                      Optional<UUID> familyId, Confirmation confirmation, List<String> resources,
                      Map<String, Object> userClaims) {
    Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
    userClaims.forEach(claims::claim);
    claims
      .issuer(issuer)
      .subject(subject)
      .audience(resources.isEmpty() ? audience : resources)
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
    String serialized = jwt.serialize();
    TokenSize.require(serialized, maxSize, userClaims);
    return serialized;
  }

  private static String newJti() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return BASE64URL.encodeToString(bytes);
  }
}
