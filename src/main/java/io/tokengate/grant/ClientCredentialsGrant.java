package io.tokengate.grant;

import io.tokengate.claims.RegistrationCache;
import io.tokengate.claims.ResourcePolicy;
import io.tokengate.claims.ResourceRegistration;
import io.tokengate.client.Client;
import io.tokengate.oauth.TokenRequest;
import io.tokengate.token.Confirmation;
import io.tokengate.token.IssuedTokens;
import io.vertx.core.Future;

import java.util.List;
import java.util.Set;


/**
 * The client credentials grant (RFC 6749 §4.4): a client acting on its own behalf. The token's subject is the
 * client, and there is never a refresh token (§4.4.3: it "SHOULD NOT be included"), nor an ID token.
 */
public final class ClientCredentialsGrant implements GrantHandler {

  private final BearerTokens tokens;
  private final RegistrationCache registrations;

  ClientCredentialsGrant(BearerTokens tokens, RegistrationCache registrations) {
    this.tokens = tokens;
    this.registrations = registrations;
  }

  @Override
  public String grantType() {
    return GrantTypes.CLIENT_CREDENTIALS;
  }

  @Override
  public Future<IssuedTokens> handle(TokenRequest request, Client client, Confirmation confirmation) {
    return Future.succeededFuture(request.parameters())
      .map(parameters -> ScopeDecision.decideForClient(parameters.optional("scope"), client))
      .compose(scopes -> registrations.current().map(current -> {
        List<ResourceRegistration> resources = ResourcePolicy.requested(request.parameters().resources(), current);
        Set<String> granted = ResourcePolicy.scopesFor(scopes.granted(), resources, current,
          !scopes.requested().isEmpty());
        return tokens.issue(client, granted, BearerTokens.responseScope(granted, scopes.requested()), resources,
          confirmation);
      }));
  }
}
