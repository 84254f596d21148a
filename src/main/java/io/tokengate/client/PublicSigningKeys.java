package io.tokengate.client;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import io.tokengate.crypto.PublicKeyVerifiers;

import java.net.URI;
import java.text.ParseException;
import java.util.List;

/** The keys in a fetched JWKS that can verify a client's signatures. */
final class PublicSigningKeys {

  private PublicSigningKeys() {
  }

  /**
   * @throws RemoteJwks.FetchFailed if the body is not a JSON JWKS, or if any key in it has private or secret material
   *                                (a client that publishes its private key has lost it)
   */
  static JWKSet from(URI uri, String body) {
    JWKSet set;
    try {
      set = JWKSet.parse(body);
    } catch (ParseException e) {
      // Parser messages can quote the body, which the client's server controls: not for the log.
      throw new RemoteJwks.FetchFailed(uri, "not a JSON JWKS");
    }
    if (set.getKeys().stream().anyMatch(JWK::isPrivate)) {
      throw new RemoteJwks.FetchFailed(uri, "the set contains private or secret key material");
    }
    List<JWK> usable = set.getKeys().stream()
      .filter(key -> key.getKeyUse() == null || KeyUse.SIGNATURE.equals(key.getKeyUse()))
      // A key outside the accepted types and sizes is dropped (and counted) before any verification can use it.
      .filter(PublicKeyVerifiers::acceptable)
      .filter(PublicSigningKeys::verifiesSomeAlgorithm)
      .toList();
    return new JWKSet(usable);
  }

  private static boolean verifiesSomeAlgorithm(JWK key) {
    return PublicKeyVerifiers.ALGORITHMS.stream()
      .anyMatch(algorithm -> PublicKeyVerifiers.forKey(key, algorithm).isPresent());
  }
}
