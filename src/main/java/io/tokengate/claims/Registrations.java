package io.tokengate.claims;

import java.util.Map;
import java.util.Optional;

/** The scope and resource registrations, as one replica last read them. */
public record Registrations(Map<String, ScopeRegistration> scopes, Map<String, ResourceRegistration> resources) {

  public static final Registrations NONE = new Registrations(Map.of(), Map.of());

  public Registrations {
    scopes = Map.copyOf(scopes);
    resources = Map.copyOf(resources);
  }

  public Optional<ScopeRegistration> scope(String name) {
    return Optional.ofNullable(scopes.get(name));
  }

  public Optional<ResourceRegistration> resource(String uri) {
    return Optional.ofNullable(resources.get(uri));
  }
}
