package io.tokengate.grant;

import io.tokengate.client.Client;
import io.tokengate.token.AccessTokenIssuer;
import io.tokengate.token.Confirmation;
import io.tokengate.token.IssuedTokens;
import io.tokengate.token.RefreshTokens;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The response every grant ends with: an access token for the client's lifetime — a bearer token, or one bound to
 * the client's certificate or DPoP key — and what goes with it.
 */
final class BearerTokens {

  private final AccessTokenIssuer issuer;
  private final Duration defaultLifetime;

  BearerTokens(AccessTokenIssuer issuer, Duration defaultLifetime) {
    this.issuer = issuer;
    this.defaultLifetime = defaultLifetime;
  }

  /** A client's own token (client_credentials): no user, no family. */
  IssuedTokens issue(Client client, Set<String> granted, Optional<String> responseScope, Confirmation confirmation) {
    return issue(client.clientId(), client, granted, responseScope, Optional.empty(), confirmation);
  }

  /** A user's token; with a refresh-token family when the client keeps sessions. */
  IssuedTokens issue(String userId, Client client, Set<String> granted, Optional<String> responseScope,
                     Optional<RefreshTokens.Started> session, Confirmation confirmation) {
    Duration lifetime = client.accessTokenTtl().orElse(defaultLifetime);
    String accessToken = issuer.issue(userId, client.clientId(), granted, lifetime,
      session.map(RefreshTokens.Started::familyId), confirmation);
    return new IssuedTokens(accessToken, confirmation.tokenType(), lifetime.toSeconds(), responseScope,
      session.map(RefreshTokens.Started::token), userId);
  }
}
