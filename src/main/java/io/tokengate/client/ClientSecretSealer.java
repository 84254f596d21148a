package io.tokengate.client;

import io.tokengate.crypto.Keyring;
import io.tokengate.crypto.Purpose;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The secrets of {@code client_secret_jwt} clients at rest. Checking an HMAC needs the secret itself, not a hash, so
 * it is stored sealed by the {@link Keyring}, bound to the client id so that a sealed secret copied to another
 * client's row does not open.
 */
public final class ClientSecretSealer {

  private final Keyring keyring;

  private ClientSecretSealer(Keyring keyring) {
    this.keyring = keyring;
  }

  /** Empty when no key can seal client secrets: then client_secret_jwt is unavailable. */
  public static Optional<ClientSecretSealer> of(Keyring keyring) {
    return keyring.canSeal(Purpose.CLIENT_SECRET) ? Optional.of(new ClientSecretSealer(keyring)) : Optional.empty();
  }

  public byte[] seal(String clientId, String secret) {
    return keyring.seal(Purpose.CLIENT_SECRET, clientId, secret.getBytes(StandardCharsets.UTF_8));
  }

  /** @return the secret's UTF-8 bytes (the HMAC key, OpenID Connect Core §10.1), or empty if it does not open */
  public Optional<byte[]> unseal(String clientId, byte[] sealed) {
    return keyring.open(Purpose.CLIENT_SECRET, clientId, sealed);
  }
}
