package io.tokengate.client;

import io.tokengate.store.Sealer;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The secrets of {@code client_secret_jwt} clients at rest. Checking an HMAC needs the secret itself, not a hash, so
 * it is stored sealed ({@link Sealer}) under {@code clients.secret_encryption_key}, bound to the client id so that a
 * sealed secret copied to another client's row does not open.
 */
public final class ClientSecretSealer {

  private final Sealer sealer;

  public ClientSecretSealer(byte[] key) {
    this.sealer = new Sealer(key);
  }

  public byte[] seal(String clientId, String secret) {
    return sealer.seal(associatedData(clientId), secret.getBytes(StandardCharsets.UTF_8));
  }

  /** @return the secret's UTF-8 bytes (the HMAC key, OpenID Connect Core §10.1), or empty if it does not open */
  public Optional<byte[]> unseal(String clientId, byte[] sealed) {
    return sealer.open(associatedData(clientId), sealed);
  }

  private static String associatedData(String clientId) {
    return "client_secret:" + clientId;
  }
}
