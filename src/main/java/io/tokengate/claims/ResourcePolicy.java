package io.tokengate.claims;

import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Resource indicators (RFC 8707): which resources a request names, and what they do to its scopes and lifetime.
 * Without {@code resource}, nothing changes.
 */
public final class ResourcePolicy {

  private ResourcePolicy() {
  }

  /**
   * RFC 8707 §2: each must be an absolute URI without a fragment, and a registered one (compared exactly).
   *
   * @throws OAuthException invalid_target otherwise
   */
  public static List<ResourceRegistration> requested(List<String> uris, Registrations registrations) {
    List<ResourceRegistration> resources = new ArrayList<>();
    for (String uri : uris) {
      Optional<String> problem = ResourceRegistration.problem(uri);
      if (problem.isPresent()) {
        throw OAuthException.of(OAuthError.INVALID_TARGET, problem.get()).because("resource_malformed");
      }
      resources.add(registrations.resource(uri).orElseThrow(() -> OAuthException.of(OAuthError.INVALID_TARGET,
        "the resource is not registered").because("resource_unknown")));
    }
    return resources;
  }

  /**
   * The scopes a token for these resources may carry: a scope that belongs to a registered resource is kept only if
   * one of the requested resources has it; a scope of no resource ({@code openid}, {@code email}) is not limited.
   *
   * @param explicit whether the client asked for these scopes (then a dropped one is invalid_scope), or they are
   *                 its default scopes (then they are narrowed silently)
   */
  public static Set<String> scopesFor(Set<String> scopes, List<ResourceRegistration> resources,
                                      Registrations registrations, boolean explicit) {
    if (resources.isEmpty()) {
      return scopes;
    }
    Set<String> kept = new LinkedHashSet<>();
    for (String scope : scopes) {
      boolean ofSomeResource = registrations.resources().values().stream()
        .anyMatch(resource -> resource.scopes().contains(scope));
      if (!ofSomeResource || resources.stream().anyMatch(resource -> resource.scopes().contains(scope))) {
        kept.add(scope);
      } else if (explicit) {
        throw OAuthException.of(OAuthError.INVALID_SCOPE, "a requested scope does not belong to the requested "
          + "resources").because("scope_outside_resource");
      }
    }
    return kept;
  }

  /** The shortest of the client's lifetime and the resources' own. */
  public static Duration lifetime(Duration client, List<ResourceRegistration> resources) {
    Duration lifetime = client;
    for (ResourceRegistration resource : resources) {
      if (resource.accessTokenLifetime().filter(own -> own.compareTo(client) < 0).isPresent()) {
        lifetime = lifetime.compareTo(resource.accessTokenLifetime().get()) < 0 ? lifetime
          : resource.accessTokenLifetime().get();
      }
    }
    return lifetime;
  }

  public static List<String> uris(List<ResourceRegistration> resources) {
    return resources.stream().map(ResourceRegistration::uri).toList();
  }
}
