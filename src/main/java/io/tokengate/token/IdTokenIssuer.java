package io.tokengate.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * OpenID Connect ID tokens (OIDC Core §2) for the password and refresh grants, signed with the access tokens' keys.
 * They live as long as the access token they come with.
 */
public final class IdTokenIssuer {

  /** When and how the user authenticated: kept with a refresh-token family for the ID tokens of its refreshes. */
  public record Authentication(Instant authTime, List<String> amr) {
  }

  private final AccessTokenIssuer accessTokens;
  private final Clock clock;

  public IdTokenIssuer(AccessTokenIssuer accessTokens, Clock clock) {
    this.accessTokens = accessTokens;
    this.clock = clock;
  }

  /**
   * @param subject     the user's subject for this client (public or pairwise)
   * @param accessToken the access token it comes with, hashed into {@code at_hash} (OIDC Core §3.1.3.6)
   * @param userClaims  the claims {@code claims.id_token} (and the standard scopes) map for this user
   */
  public String issue(String subject, String clientId, Authentication authentication, String accessToken,
                      Duration lifetime, Map<String, Object> userClaims) {
    Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
    SigningKey key = accessTokens.keys().active();
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
    userClaims.forEach(claims::claim);
    claims.issuer(accessTokens.issuer())
      .subject(subject)
      .audience(clientId)
      .claim("azp", clientId)
      .issueTime(Date.from(now))
      .expirationTime(Date.from(now.plus(lifetime)))
      .claim("auth_time", authentication.authTime().getEpochSecond())
      .claim("amr", authentication.amr())
      .claim("at_hash", atHash(accessToken, key.algorithm()));
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(key.algorithm()).type(JOSEObjectType.JWT).keyID(key.kid())
      .build(), claims.build());
    try {
      jwt.sign(key.signer());
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed with key " + key.kid(), e);
    }
    String serialized = jwt.serialize();
    TokenSize.require(serialized, accessTokens.maxSize(), userClaims);
    return serialized;
  }

  /**
   * The left half of the hash of the access token, with the hash of the signing algorithm (SHA-256 for ES256, RS256
   * and PS256; SHA-512 for EdDSA with Ed25519, as OpenID Connect implementations agree).
   */
  static String atHash(String accessToken, JWSAlgorithm algorithm) {
    try {
      MessageDigest digest = MessageDigest.getInstance(JWSAlgorithm.EdDSA.equals(algorithm) ? "SHA-512" : "SHA-256");
      byte[] hash = digest.digest(accessToken.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, hash.length / 2));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
