package io.tokengate.grant;

import io.tokengate.client.Client;
import io.tokengate.oauth.TokenRequest;
import io.tokengate.token.Confirmation;
import io.tokengate.token.IssuedTokens;
import io.vertx.core.Future;

/** One grant type: reads its parameters from an authenticated client's request and issues tokens. */
public interface GrantHandler {

  /** The {@code grant_type} value it handles. */
  String grantType();

  /** @param confirmation what the tokens are to be bound to (the client's certificate, a DPoP key), if anything */
  Future<IssuedTokens> handle(TokenRequest request, Client client, Confirmation confirmation);
}
