package io.tokengate.client;

import com.nimbusds.jose.jwk.JWKSet;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * What a client proves itself with, besides a secret's hash: the sealed secret for {@code client_secret_jwt}, its
 * public keys (registered, or at its {@code jwks_uri}) for {@code private_key_jwt} and
 * {@code self_signed_tls_client_auth}, the certificate identity for {@code tls_client_auth}, and thumbprints of its
 * self-signed certificates.
 */
public record ClientKeys(Optional<byte[]> sealedSecret, Optional<JWKSet> jwks, Optional<URI> jwksUri,
                         Optional<TlsClientIdentity> tlsIdentity, List<String> certificateThumbprints) {

  public static final ClientKeys NONE =
    new ClientKeys(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of());

  /** Never the sealed secret. */
  @Override
  public String toString() {
    return "ClientKeys[" + (jwks.isPresent() ? "jwks " : "") + jwksUri.map(uri -> "jwks_uri " + uri + " ").orElse("")
      + tlsIdentity.map(identity -> identity + " ").orElse("") + certificateThumbprints.size() + " thumbprints]";
  }
}
