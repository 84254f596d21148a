package io.tokengate.token;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The key that signs new tokens and the public keys that verify them (published at the JWKS endpoint, and used by
 * introspection and revocation): the active key plus keys that still verify tokens they signed earlier.
 */
public final class SigningKeys {

  private final SigningKey active;
  private final String publicJwks;
  private final Map<String, JWSVerifier> verifiers = new HashMap<>();
  /** The one algorithm each key verifies: its declared {@code alg}, or else the configured signing algorithm. */
  private final Map<String, Algorithm> algorithms = new HashMap<>();

  public SigningKeys(SigningKey active, List<JWK> published) {
    this.active = active;
    List<JWK> publicOnly = published.stream().map(JWK::toPublicJWK).toList();
    this.publicJwks = new JWKSet(publicOnly).toString(true);
    for (JWK key : publicOnly) {
      Algorithm algorithm = key.getAlgorithm() != null ? key.getAlgorithm() : active.algorithm();
      verifier(key, algorithm).ifPresent(verifier -> {
        verifiers.put(key.getKeyID(), verifier);
        algorithms.put(key.getKeyID(), algorithm);
      });
    }
  }

  public SigningKey active() {
    return active;
  }

  /** {@code {"keys":[...]}} with public parts only. */
  public String publicJwks() {
    return publicJwks;
  }

  /** The verifier for a token's header: its kid must be one of ours, and its alg exactly that key's algorithm. */
  Optional<JWSVerifier> verifierFor(JWSHeader header) {
    String kid = header.getKeyID();
    if (kid == null || !header.getAlgorithm().equals(algorithms.get(kid))) {
      return Optional.empty();
    }
    return Optional.ofNullable(verifiers.get(kid));
  }

  /** A key without a kid verifies nothing: tokens name their key. */
  private static Optional<JWSVerifier> verifier(JWK key, Algorithm algorithm) {
    return key.getKeyID() == null ? Optional.empty()
      : PublicKeyVerifiers.forKey(key, JWSAlgorithm.parse(algorithm.getName()));
  }
}
