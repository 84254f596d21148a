package io.tokengate.grant;

import io.tokengate.client.Client;
import io.tokengate.metrics.TokenLifecycleMetrics;
import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.tokengate.oauth.Parameters;
import io.tokengate.oauth.Scopes;
import io.tokengate.oauth.TokenRequest;
import io.tokengate.token.Confirmation;
import io.tokengate.token.IssuedTokens;
import io.tokengate.token.RefreshOutcome;
import io.tokengate.token.RefreshTokens;
import io.vertx.core.Future;

import java.util.Optional;
import java.util.Set;

/** The refresh token grant (RFC 6749 §6), with rotation: every use returns a successor and retires the token. */
public final class RefreshTokenGrant implements GrantHandler {

  /** One answer for unknown, expired, revoked, replayed and foreign tokens: none of them is the client's business. */
  static final String REFUSED = "the refresh token is invalid, expired or revoked";
  /** Said only to the client the token belongs to; nothing changes, so that a thief cannot revoke the session. */
  static final String DPOP_BOUND = "the refresh token is bound to a DPoP key: send a proof signed with that key";

  private final RefreshTokens refreshTokens;
  private final BearerTokens tokens;
  private final TokenLifecycleMetrics metrics;

  RefreshTokenGrant(RefreshTokens refreshTokens, BearerTokens tokens, TokenLifecycleMetrics metrics) {
    this.refreshTokens = refreshTokens;
    this.tokens = tokens;
    this.metrics = metrics;
  }

  @Override
  public String grantType() {
    return GrantTypes.REFRESH_TOKEN;
  }

  @Override
  public Future<IssuedTokens> handle(TokenRequest request, Client client, Confirmation confirmation) {
    return Future.succeededFuture(request.parameters())
      .map(RefreshRequest::of)
      .compose(refresh -> refreshTokens.rotate(refresh.token(), client, refresh.scopes(),
          confirmation.dpopKeyThumbprint())
        .compose(this::rotated)
        .map(rotated -> issue(refresh, rotated, client, confirmation)));
  }

  /** The token presented and the scope asked for; a missing token fails the future, never the caller. */
  private record RefreshRequest(String token, Optional<Set<String>> scopes) {
    static RefreshRequest of(Parameters parameters) {
      return new RefreshRequest(parameters.required("refresh_token"), parameters.optional("scope").map(Scopes::parse));
    }
  }

  private Future<RefreshTokens.Rotated> rotated(RefreshTokens.Rotation rotation) {
    if (rotation instanceof RefreshTokens.Refused refused) {
      metrics.refresh(refused.outcome().label());
      return Future.failedFuture(refused.outcome() == RefreshOutcome.DPOP_KEY_MISMATCH
        ? OAuthException.of(OAuthError.INVALID_DPOP_PROOF, DPOP_BOUND).because(refused.outcome().label())
        : OAuthException.invalidGrant(REFUSED).because(refused.outcome().label()));
    }
    RefreshTokens.Rotated rotated = (RefreshTokens.Rotated) rotation;
    metrics.refresh(rotated.outcome().label());
    return Future.succeededFuture(rotated);
  }

  private IssuedTokens issue(RefreshRequest refresh, RefreshTokens.Rotated rotated, Client client,
                             Confirmation confirmation) {
    // RFC 6749 §6: an omitted scope means the scope originally granted.
    Set<String> asked = refresh.scopes().filter(scopes -> !scopes.isEmpty()).orElse(rotated.tokenScopes());
    Optional<String> responseScope = rotated.granted().equals(asked)
      ? Optional.empty() : Optional.of(Scopes.format(rotated.granted()));
    return tokens.issue(rotated.userId().toString(), client, rotated.granted(), responseScope,
      Optional.of(new RefreshTokens.Started(rotated.familyId(), rotated.newToken())), confirmation);
  }
}
