package io.tokengate.token;

import io.tokengate.crypto.PublicKeyVerifiers;
import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
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
  private record Snapshot(List<ScheduledKey> signers, String publicJwks, Map<String, JWSVerifier> verifiers,
                          Map<String, Algorithm> algorithms) {
  }

  private final Clock clock;
  private volatile Snapshot current;

  public SigningKeys(SigningKey active, List<JWK> published) {
    this(List.of(ScheduledKey.now(active)), published, Clock.systemUTC());
  }

  /**
   * @param signers at least one key signing from the start, and the keys that take over later; each signs from its
   *                time until the next one's (the switch needs no reload, so every replica switches on time)
   */
  public SigningKeys(List<ScheduledKey> signers, List<JWK> published, Clock clock) {
    this.clock = clock;
    this.current = snapshot(signers, published);
  }

  private static Snapshot snapshot(List<ScheduledKey> signers, List<JWK> published) {
    List<ScheduledKey> ordered = signers.stream().sorted(Comparator.comparing(ScheduledKey::from)).toList();
    if (ordered.isEmpty() || !ordered.get(0).from().equals(Instant.MIN)) {
      throw new IllegalArgumentException("no key signs now");
    }
    SigningKey active = ordered.get(0).key();
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
    return new Snapshot(ordered, new JWKSet(publicOnly).toString(true), Map.copyOf(verifiers), Map.copyOf(algorithms));
  }

  /** Takes over another set's keys (a JWKS file replaced on disk), for every request from now on. */
  public void replaceWith(SigningKeys newer) {
    this.current = newer.current;
  }

  /** The key that signs now. */
  public SigningKey active() {
    List<ScheduledKey> signers = current.signers();
    Instant now = clock.instant();
    for (int i = signers.size() - 1; i > 0; i--) {
      if (!signers.get(i).from().isAfter(now)) {
        return signers.get(i).key();
      }
    }
    return signers.get(0).key();
  }

  /** Keys published now that sign only later, with their time: {@code kid -> from}. */
  public Map<String, Instant> scheduled() {
    Map<String, Instant> later = new java.util.LinkedHashMap<>();
    Instant now = clock.instant();
    current.signers().stream().filter(signer -> signer.from().isAfter(now))
      .forEach(signer -> later.put(signer.key().kid(), signer.from()));
    return later;
  }

  /** Whether another set publishes the same keys and signs with the same keys at the same times. */
  public boolean sameAs(SigningKeys other) {
    return publicJwks().equals(other.publicJwks()) && schedule(current).equals(schedule(other.current));
  }

  private static List<String> schedule(Snapshot snapshot) {
    return snapshot.signers().stream().map(signer -> signer.key().kid() + "@" + signer.from()).toList();
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
