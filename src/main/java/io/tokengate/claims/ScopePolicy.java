package io.tokengate.claims;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which of the scopes a client may have a user gets: a registered scope that requires groups only for a member of
 * one of them. The rest are dropped (RFC 6749 §3.3: the server may grant less than asked, and says so).
 */
public final class ScopePolicy {

  private ScopePolicy() {
  }

  public static Set<String> forUser(Set<String> scopes, Set<String> groups, Registrations registrations) {
    Set<String> allowed = new LinkedHashSet<>();
    for (String scope : scopes) {
      if (registrations.scope(scope).map(registration -> registration.allows(groups)).orElse(true)) {
        allowed.add(scope);
      }
    }
    return allowed;
  }
}
