package io.tokengate.grant;

import io.tokengate.client.Client;
import io.tokengate.token.AccessTokenIssuer;
import io.tokengate.token.IssuedTokens;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** The response every grant ends with: a Bearer access token for the client's lifetime, and what goes with it. */
final class BearerTokens {

  private final AccessTokenIssuer issuer;
  private final Duration defaultLifetime;

  BearerTokens(AccessTokenIssuer issuer, Duration defaultLifetime) {
    this.issuer = issuer;
    this.defaultLifetime = defaultLifetime;
  }

  IssuedTokens issue(String subject, Client client, Set<String> granted, Optional<String> responseScope,
                     Optional<String> refreshToken) {
    Duration lifetime = client.accessTokenTtl().orElse(defaultLifetime);
    return new IssuedTokens(issuer.issue(subject, client.clientId(), granted, lifetime), "Bearer",
      lifetime.toSeconds(), responseScope, refreshToken);
  }
}
