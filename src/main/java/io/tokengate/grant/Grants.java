package io.tokengate.grant;

import io.tokengate.claims.AccessTokenClaims;
import io.tokengate.claims.ClaimMapping;
import io.tokengate.claims.IdTokenClaims;
import io.tokengate.claims.RegistrationCache;
import io.tokengate.claims.Subjects;
import io.tokengate.client.Client;
import io.tokengate.config.Config;
import io.tokengate.metrics.TokenLifecycleMetrics;
import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.tokengate.oauth.TokenRequest;
import io.tokengate.token.AccessTokenIssuer;
import io.tokengate.token.Confirmation;
import io.tokengate.token.IdTokenIssuer;
import io.tokengate.token.IssuedTokens;
import io.tokengate.token.RefreshTokens;
import io.tokengate.user.UserAuthenticator;
import io.vertx.core.Future;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The grant types this server supports, and the dispatch of a request to its handler. */
public final class Grants {

  private final Map<String, GrantHandler> handlers = new LinkedHashMap<>();

  Grants(List<GrantHandler> handlers) {
    handlers.forEach(handler -> this.handlers.put(handler.grantType(), handler));
  }

  /** Every grant tokengate has, wired: the one place a new grant is registered. */
  public static Grants all(UserAuthenticator users, AccessTokenIssuer issuer, RefreshTokens refreshTokens,
                           TokenLifecycleMetrics metrics, Config config, Clock clock,
                           RegistrationCache registrations, Subjects subjects) {
    BearerTokens tokens = new BearerTokens(issuer, new IdTokenIssuer(issuer, clock),
      config.tokens().accessTokenLifetime(), new AccessTokenClaims(new ClaimMapping(config.claims().accessToken())),
      new IdTokenClaims(new ClaimMapping(config.claims().idToken())), subjects);
    return new Grants(List.of(
      new PasswordGrant(users, tokens, refreshTokens, registrations, config.limits(), clock),
      new RefreshTokenGrant(refreshTokens, tokens, metrics, registrations),
      new ClientCredentialsGrant(tokens, registrations)));
  }

  public Set<String> supported() {
    return handlers.keySet();
  }

  /** Fails fast, before any client lookup, for a grant type this server does not have. */
  public void requireSupported(String grantType) {
    if (!handlers.containsKey(grantType)) {
      throw OAuthException.of(OAuthError.UNSUPPORTED_GRANT_TYPE, "grant_type is not supported");
    }
  }

  public Future<IssuedTokens> handle(TokenRequest request, Client client, Confirmation confirmation) {
    requireSupported(request.grantType());
    if (!client.mayUseGrant(request.grantType())) {
      return Future.failedFuture(OAuthException.of(OAuthError.UNAUTHORIZED_CLIENT,
        "the client is not allowed to use grant_type " + request.grantType()));
    }
    return handlers.get(request.grantType()).handle(request, client, confirmation);
  }
}
