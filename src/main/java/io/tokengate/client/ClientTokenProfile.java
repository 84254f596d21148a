package io.tokengate.client;

import io.tokengate.claims.ClaimMapping;

import java.util.Optional;

/**
 * What a client's tokens say of their user beyond the global configuration: its own claim mappings, and whether its
 * users get a pairwise subject (OpenID Connect Core §8) in the sector it names (by default its own id).
 */
public record ClientTokenProfile(ClaimMapping claims, boolean pairwise, Optional<String> sector) {

  public static final ClientTokenProfile DEFAULT = new ClientTokenProfile(ClaimMapping.NONE, false, Optional.empty());

  public String subjectType() {
    return pairwise ? "pairwise" : "public";
  }
}
