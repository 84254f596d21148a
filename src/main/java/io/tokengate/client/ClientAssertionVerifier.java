package io.tokengate.client;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jwt.JWTClaimsSet;
import io.tokengate.config.Config;
import io.tokengate.crypto.PublicKeyVerifiers;
import io.tokengate.oauth.ClientRequest;
import io.tokengate.oauth.OAuthException;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Client assertions (RFC 7523 §3, RFC 7521 §4.2): {@code client_secret_jwt} verified with the client's sealed secret,
 * {@code private_key_jwt} with its registered or fetched public keys. The signature is checked first, so that only
 * the real client learns which claim was wrong, and the {@code jti} is spent last, so that nobody else can spend it.
 */
final class ClientAssertionVerifier {

  /** However long a window of use is, no assertion may claim to be good for longer than this. */
  static final Duration EXP_CEILING = Duration.ofHours(24);

  /** Beyond this many candidate keys (an assertion without kid), the client must name its key. */
  private static final int MAX_CANDIDATE_KEYS = 5;
  private static final int MAX_JTI_LENGTH = 256;

  private final Set<String> audiences;
  private final Duration maxLifetime;
  private final Duration skew;
  private final Optional<ClientSecretSealer> sealer;
  private final ClientPublicKeys publicKeys;
  private final UsedAssertionIds oneTimeIds;
  private final Clock clock;

  ClientAssertionVerifier(Config config, Optional<ClientSecretSealer> sealer, ClientPublicKeys publicKeys,
                          UsedAssertionIds oneTimeIds, Clock clock) {
    this.audiences = Set.of(config.issuer().toString(), config.endpointUrl("/oauth2/token"));
    this.maxLifetime = config.clients().assertionMaxLifetime();
    this.skew = config.clients().clockSkew();
    this.sealer = sealer;
    this.publicKeys = publicKeys;
    this.oneTimeIds = oneTimeIds;
    this.clock = clock;
  }

  /** Fails with invalid_client unless the assertion is the client's, valid now, and never seen before. */
  Future<Void> verify(Client client, ClientCredentials.Assertion assertion, ClientRequest request) {
    Future<Boolean> signed = assertion.method() == ClientAuthMethod.CLIENT_SECRET_JWT
      ? Future.succeededFuture(verifyHmac(client, assertion))
      : verifyWithPublicKey(client, assertion);
    return signed.compose(valid -> {
      if (!valid) {
        return Future.failedFuture(ClientAuthenticator.failed());
      }
      JWTClaimsSet claims = assertion.claims();
      Instant rememberUntil = checkClaims(claims, request);
      return oneTimeIds.useAssertion(client.clientId(), claims.getJWTID(), rememberUntil)
        .compose(first -> first ? Future.<Void>succeededFuture()
          : Future.failedFuture(OAuthException.invalidClient("the client assertion was used before")));
    });
  }

  /** RFC 7518 §3.2: the key must be at least as long as the hash, so HS512 needs a 64-byte secret. */
  private boolean verifyHmac(Client client, ClientCredentials.Assertion assertion) {
    JWSAlgorithm algorithm = assertion.jwt().getHeader().getAlgorithm();
    Optional<byte[]> secret = client.keys().sealedSecret()
      .flatMap(sealed -> sealer.flatMap(sealing -> sealing.unseal(client.clientId(), sealed)));
    if (secret.isEmpty() || secret.get().length * 8 < hmacBits(algorithm)) {
      return false;
    }
    try {
      return assertion.jwt().verify(new MACVerifier(secret.get()));
    } catch (JOSEException e) {
      return false;
    }
  }

  private static int hmacBits(JWSAlgorithm algorithm) {
    if (JWSAlgorithm.HS512.equals(algorithm)) {
      return 512;
    }
    return JWSAlgorithm.HS384.equals(algorithm) ? 384 : 256;
  }

  private Future<Boolean> verifyWithPublicKey(Client client, ClientCredentials.Assertion assertion) {
    String kid = assertion.jwt().getHeader().getKeyID();
    return publicKeys.of(client, kid)
      .map(set -> verifiesWithOneOf(candidates(set, kid), assertion))
      // A key server that cannot be reached leaves the client unauthenticated, which is what it is.
      .recover(unreachable -> Future.succeededFuture(false));
  }

  private static List<JWK> candidates(JWKSet set, String kid) {
    return set.getKeys().stream()
      .filter(key -> key.getKeyUse() == null || KeyUse.SIGNATURE.equals(key.getKeyUse()))
      .filter(key -> kid == null || kid.equals(key.getKeyID()))
      .limit(MAX_CANDIDATE_KEYS)
      .toList();
  }

  private static boolean verifiesWithOneOf(List<JWK> keys, ClientCredentials.Assertion assertion) {
    JWSAlgorithm algorithm = assertion.jwt().getHeader().getAlgorithm();
    for (JWK key : keys) {
      Optional<JWSVerifier> verifier = PublicKeyVerifiers.forKey(key, algorithm);
      try {
        if (verifier.isPresent() && assertion.jwt().verify(verifier.get())) {
          return true;
        }
      } catch (JOSEException e) {
        // Not this key.
      }
    }
    return false;
  }

  /**
   * The claims of RFC 7523 §3, each with its own message: only the client that signed them gets to read it.
   * <p>
   * How long an assertion may be used is bounded from when it was made, not by its {@code exp}: within
   * {@code clients.assertion_max_lifetime} of its {@code iat} (else its {@code nbf}), whatever its {@code exp} up
   * to {@link #EXP_CEILING} — as Keycloak does since it bounded assertion lifetimes — because the most used
   * Python client (Authlib) always writes exp = iat + 1 h and cannot be told otherwise. An assertion with neither
   * {@code iat} nor {@code nbf} must have its {@code exp} within the bound, as before.
   *
   * @return until when its jti must be remembered: the end of its window of use
   */
  private Instant checkClaims(JWTClaimsSet claims, ClientRequest request) {
    Instant now = clock.instant();
    List<String> audience = claims.getAudience();
    if (audience.stream().noneMatch(value -> audiences.contains(value) || value.equals(request.endpointUrl()))) {
      throw OAuthException.invalidClient("the client assertion's aud must be the issuer or the token endpoint URL");
    }
    Date expiry = claims.getExpirationTime();
    if (expiry == null) {
      throw OAuthException.invalidClient("the client assertion has no exp");
    }
    if (!now.isBefore(expiry.toInstant().plus(skew))) {
      throw OAuthException.invalidClient("the client assertion has expired");
    }
    if (expiry.toInstant().isAfter(now.plus(EXP_CEILING).plus(skew))) {
      throw OAuthException.invalidClient("the client assertion's exp is more than 24 hours away");
    }
    Optional<Instant> madeAt = Optional.ofNullable(claims.getIssueTime())
      .or(() -> Optional.ofNullable(claims.getNotBeforeTime())).map(Date::toInstant);
    if (madeAt.isEmpty() && expiry.toInstant().isAfter(now.plus(maxLifetime).plus(skew))) {
      throw OAuthException.invalidClient("the client assertion has no iat or nbf, and its exp is more than "
        + maxLifetime.toSeconds() + " seconds away");
    }
    if (madeAt.isPresent() && now.isAfter(madeAt.get().plus(maxLifetime).plus(skew))) {
      throw OAuthException.invalidClient("the client assertion was made (iat, else nbf) more than "
        + maxLifetime.toSeconds() + " seconds ago");
    }
    Instant usableUntil = madeAt.map(made -> made.plus(maxLifetime)).filter(end -> end.isBefore(expiry.toInstant()))
      .orElse(expiry.toInstant());
    if (isFuture(claims.getNotBeforeTime(), now)) {
      throw OAuthException.invalidClient("the client assertion is not valid yet (nbf)");
    }
    if (isFuture(claims.getIssueTime(), now)) {
      throw OAuthException.invalidClient("the client assertion was issued in the future (iat)");
    }
    String jti = claims.getJWTID();
    if (jti == null || jti.isEmpty() || jti.length() > MAX_JTI_LENGTH
      || !jti.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw OAuthException.invalidClient("the client assertion needs a jti of at most " + MAX_JTI_LENGTH
        + " printable ASCII characters");
    }
    return usableUntil.plus(skew);
  }

  private boolean isFuture(Date time, Instant now) {
    return time != null && time.toInstant().isAfter(now.plus(skew));
  }
}
