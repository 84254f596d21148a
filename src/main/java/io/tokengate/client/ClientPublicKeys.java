package io.tokengate.client;

import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Future;

/**
 * A client's public keys, wherever it registered them: the JWKS stored with it, or the set at its {@code jwks_uri}
 * ({@link RemoteJwks}); an empty set for a client with neither.
 */
final class ClientPublicKeys {

  private final RemoteJwks remoteJwks;

  ClientPublicKeys(RemoteJwks remoteJwks) {
    this.remoteJwks = remoteJwks;
  }

  /** @param kid the key id a JWT names, or null: a fetched set lacking it is fetched again (rate-limited) */
  Future<JWKSet> of(Client client, String kid) {
    return client.keys().jwks().map(Future::succeededFuture)
      .or(() -> client.keys().jwksUri().map(uri -> remoteJwks.keys(uri, kid)))
      .orElseGet(() -> Future.succeededFuture(new JWKSet()));
  }
}
