package io.tokengate.grant;

import io.tokengate.client.Client;
import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.tokengate.oauth.Scopes;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The scopes a token gets (RFC 6749 §3.3): what the client asked for if it may have all of it, its default scopes
 * if it asked for none, and {@code invalid_scope} otherwise.
 *
 * @param requested what the client asked for; empty set when it sent no {@code scope}
 */
record ScopeDecision(Set<String> requested, Set<String> granted) {

  static ScopeDecision decide(Optional<String> scopeParameter, Client client) {
    Set<String> requested = scopeParameter.map(Scopes::parse).orElse(Set.of());
    if (requested.isEmpty()) {
      return new ScopeDecision(requested, new LinkedHashSet<>(client.defaultScopes()));
    }
    if (!client.scopes().containsAll(requested)) {
      throw OAuthException.of(OAuthError.INVALID_SCOPE, "the requested scope is not allowed for this client");
    }
    return new ScopeDecision(requested, requested);
  }

  /** OpenID Connect is about a user: a client acting on its own behalf cannot ask for {@code openid}. */
  static ScopeDecision decideForClient(Optional<String> scopeParameter, Client client) {
    ScopeDecision decision = decide(scopeParameter, client);
    if (decision.requested().contains(BearerTokens.OPENID)) {
      throw OAuthException.of(OAuthError.INVALID_SCOPE, "openid is for a user's tokens, not client_credentials")
        .because("openid_without_user");
    }
    if (decision.granted().contains(BearerTokens.OPENID)) {
      Set<String> granted = new LinkedHashSet<>(decision.granted());
      granted.remove(BearerTokens.OPENID);
      return new ScopeDecision(decision.requested(), granted);
    }
    return decision;
  }

  /** RFC 6749 §5.1: {@code scope} is returned when it is not what the client asked for. */
  Optional<String> responseScope() {
    return granted.equals(requested) ? Optional.empty() : Optional.of(Scopes.format(granted));
  }
}
