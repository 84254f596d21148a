package io.tokengate.grant;

import io.tokengate.client.Client;
import io.tokengate.oauth.TokenRequest;
import io.tokengate.token.Confirmation;
import io.tokengate.token.IssuedTokens;
import io.vertx.core.Future;


/**
 * The client credentials grant (RFC 6749 §4.4): a client acting on its own behalf. The token's subject is the
 * client, and there is never a refresh token (§4.4.3: it "SHOULD NOT be included").
 */
public final class ClientCredentialsGrant implements GrantHandler {

  private final BearerTokens tokens;

  ClientCredentialsGrant(BearerTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public String grantType() {
    return GrantTypes.CLIENT_CREDENTIALS;
  }

  @Override
  public Future<IssuedTokens> handle(TokenRequest request, Client client, Confirmation confirmation) {
    return Future.succeededFuture(request.parameters())
      .map(parameters -> ScopeDecision.decide(parameters.optional("scope"), client))
      .map(scopes -> tokens.issue(client, scopes.granted(), scopes.responseScope(), confirmation));
  }
}
