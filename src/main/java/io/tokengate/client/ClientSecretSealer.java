package io.tokengate.client;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * Keeps the secrets of {@code client_secret_jwt} clients at rest. Checking an HMAC needs the secret itself, not a
 * hash, so it is stored encrypted: AES-256-GCM under {@code clients.secret_encryption_key}, with the client id as
 * associated data so that a sealed secret copied to another client's row does not open. A leaked database alone
 * reveals no secret; the key lives only in the configuration (a Kubernetes Secret).
 *
 * <p>Layout: a version byte, the 12-byte nonce, then ciphertext and tag.
 */
public final class ClientSecretSealer {

  private static final byte VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  public ClientSecretSealer(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("the secret encryption key must be 32 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
  }

  public byte[] seal(String clientId, String secret) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, clientId, nonce);
      byte[] encrypted = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = new byte[1 + NONCE_BYTES + encrypted.length];
      sealed[0] = VERSION;
      System.arraycopy(nonce, 0, sealed, 1, NONCE_BYTES);
      System.arraycopy(encrypted, 0, sealed, 1 + NONCE_BYTES, encrypted.length);
      return sealed;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  /** @return the secret's UTF-8 bytes (the HMAC key, OpenID Connect Core §10.1), or empty if it does not open */
  public Optional<byte[]> unseal(String clientId, byte[] sealed) {
    if (sealed.length <= 1 + NONCE_BYTES || sealed[0] != VERSION) {
      return Optional.empty();
    }
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, clientId, Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES));
      return Optional.of(cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES));
    } catch (AEADBadTagException e) {
      // Another key, another client's row, or tampering.
      return Optional.empty();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  private Cipher cipher(int mode, String clientId, byte[] nonce) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(clientId.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }
}
