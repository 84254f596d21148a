package io.tokengate.token;

import com.nimbusds.jwt.JWTClaimsSet;
import io.tokengate.client.Client;
import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.vertx.core.Future;

import java.util.Optional;

/**
 * Revocation (RFC 7009) of a client's own tokens. A refresh token takes its whole family with it; an access token's
 * {@code jti} is remembered until the token expires. A token that is unknown, invalid or already expired needs no
 * revoking, and the answer is the same 200 (§2.2).
 */
public final class TokenRevoker {

  /** What a revocation revoked: the label values of {@code tokengate_revocations_total}. */
  public enum Revoked { ACCESS_TOKEN, REFRESH_TOKEN, NONE }

  private final AccessTokenVerifier verifier;
  private final AccessTokenRevocations revocations;
  private final RefreshTokens refreshTokens;

  public TokenRevoker(AccessTokenVerifier verifier, AccessTokenRevocations revocations, RefreshTokens refreshTokens) {
    this.verifier = verifier;
    this.revocations = revocations;
    this.refreshTokens = refreshTokens;
  }

  public Future<Revoked> revoke(String token, Optional<String> hint, Client caller) {
    if (hint.filter("refresh_token"::equals).isPresent()) {
      return refreshToken(token, caller).compose(done -> done == Revoked.NONE ? accessToken(token, caller)
        : Future.succeededFuture(done));
    }
    return accessToken(token, caller).compose(done -> done == Revoked.NONE ? refreshToken(token, caller)
      : Future.succeededFuture(done));
  }

  private Future<Revoked> accessToken(String token, Client caller) {
    Optional<JWTClaimsSet> verified = verifier.verify(token);
    if (verified.isEmpty()) {
      return Future.succeededFuture(Revoked.NONE);
    }
    JWTClaimsSet claims = verified.get();
    if (!caller.clientId().equals(claims.getClaim("client_id"))) {
      return Future.failedFuture(notYours());
    }
    return revocations.revoke(claims.getJWTID(), claims.getExpirationTime().toInstant()).map(Revoked.ACCESS_TOKEN);
  }

  private Future<Revoked> refreshToken(String token, Client caller) {
    return refreshTokens.revokeFamily(token, caller).map(found -> found ? Revoked.REFRESH_TOKEN : Revoked.NONE);
  }

  /** RFC 7009 §2.1: a token issued to another client is refused, and the client told. */
  static OAuthException notYours() {
    return OAuthException.of(OAuthError.UNAUTHORIZED_CLIENT, "the token was not issued to this client");
  }
}
