package io.tokengate.grant;

import io.tokengate.client.Client;
import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.tokengate.oauth.TokenRequest;
import io.tokengate.token.IssuedTokens;
import io.vertx.core.Future;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The grant types this server supports, and the dispatch of a request to its handler. */
public final class Grants {

  private final Map<String, GrantHandler> handlers = new LinkedHashMap<>();

  public Grants(List<GrantHandler> handlers) {
    handlers.forEach(handler -> this.handlers.put(handler.grantType(), handler));
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

  public Future<IssuedTokens> handle(TokenRequest request, Client client) {
    requireSupported(request.grantType());
    if (!client.mayUseGrant(request.grantType())) {
      return Future.failedFuture(OAuthException.of(OAuthError.UNAUTHORIZED_CLIENT,
        "the client is not allowed to use grant_type " + request.grantType()));
    }
    return handlers.get(request.grantType()).handle(request, client);
  }
}
