package io.tokengate.claims;

import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A registered scope: the groups of which a user must be in one to be granted it (none: anyone), and the claims
 * its access tokens carry when it is granted.
 */
public record ScopeRegistration(String name, Set<String> requiredGroups, ClaimMapping claims,
                                Optional<String> description) {

  public ScopeRegistration {
    requiredGroups = Collections.unmodifiableSet(new TreeSet<>(requiredGroups));
  }

  /** Whether a user in these groups may be granted the scope. */
  public boolean allows(Set<String> groups) {
    return requiredGroups.isEmpty() || requiredGroups.stream().anyMatch(groups::contains);
  }
}
