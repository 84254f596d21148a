package io.tokengate.token;

import io.tokengate.crypto.PublicKeyVerifiers;
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

  /** One consistent set: a reload replaces all of it at once, so no request sees half of two sets. */
  private record Snapshot(SigningKey active, String publicJwks, Map<String, JWSVerifier> verifiers,
                          Map<String, Algorithm> algorithms) {
  }

  private volatile Snapshot current;

  public SigningKeys(SigningKey active, List<JWK> published) {
    this.current = snapshot(active, published);
  }

  private static Snapshot snapshot(SigningKey active, List<JWK> published) {
    List<JWK> publicOnly = published.stream().map(JWK::toPublicJWK).toList();
    Map<String, JWSVerifier> verifiers = new HashMap<>();
    // The one algorithm each key verifies: its declared alg, or else the configured signing algorithm.
    Map<String, Algorithm> algorithms = new HashMap<>();
    for (JWK key : publicOnly) {
      Algorithm algorithm = key.getAlgorithm() != null ? key.getAlgorithm() : active.algorithm();
      verifier(key, algorithm).ifPresent(verifier -> {
        verifiers.put(key.getKeyID(), verifier);
        algorithms.put(key.getKeyID(), algorithm);
      });
    }
    return new Snapshot(active, new JWKSet(publicOnly).toString(true), Map.copyOf(verifiers), Map.copyOf(algorithms));
  }

  /** Takes over another set's keys (a JWKS file replaced on disk), for every request from now on. */
  public void replaceWith(SigningKeys newer) {
    this.current = newer.current;
  }

  public SigningKey active() {
    return current.active();
  }

  /** {@code {"keys":[...]}} with public parts only. */
  public String publicJwks() {
    return current.publicJwks();
  }

  /** The verifier for a token's header: its kid must be one of ours, and its alg exactly that key's algorithm. */
  Optional<JWSVerifier> verifierFor(JWSHeader header) {
    Snapshot keys = current;
    String kid = header.getKeyID();
    if (kid == null || !header.getAlgorithm().equals(keys.algorithms().get(kid))) {
      return Optional.empty();
    }
    return Optional.ofNullable(keys.verifiers().get(kid));
  }

  /** A key without a kid verifies nothing: tokens name their key. */
  private static Optional<JWSVerifier> verifier(JWK key, Algorithm algorithm) {
    return key.getKeyID() == null ? Optional.empty()
      : PublicKeyVerifiers.forKey(key, JWSAlgorithm.parse(algorithm.getName()));
  }
}
