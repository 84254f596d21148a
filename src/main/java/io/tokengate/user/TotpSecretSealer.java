package io.tokengate.user;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * Keeps users' TOTP secrets at rest. Computing a code needs the secret itself, so it is stored encrypted:
 * AES-256-GCM under a configured key, with the user id as associated data so that a sealed secret copied to another
 * user's row does not open. A leaked database alone reveals no secret; the key lives only in the configuration.
 *
 * <p>Layout, as {@code ClientSecretSealer}'s: a version byte, the 12-byte nonce, then ciphertext and tag.
 */
public final class TotpSecretSealer {

  private static final byte VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int MIN_SEALED_BYTES = 1 + NONCE_BYTES + TAG_BITS / 8 + 1;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  public TotpSecretSealer(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("the TOTP secret encryption key must be 32 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
  }

  public byte[] seal(UUID userId, byte[] secret) {
    if (secret.length == 0) {
      throw new IllegalArgumentException("a TOTP secret cannot be empty");
    }
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      byte[] encrypted = cipher(Cipher.ENCRYPT_MODE, userId, nonce).doFinal(secret);
      byte[] sealed = new byte[1 + NONCE_BYTES + encrypted.length];
      sealed[0] = VERSION;
      System.arraycopy(nonce, 0, sealed, 1, NONCE_BYTES);
      System.arraycopy(encrypted, 0, sealed, 1 + NONCE_BYTES, encrypted.length);
      return sealed;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  /** @return the secret, or empty if it does not open: another key, another user's row, tampering or garbage */
  public Optional<byte[]> unseal(UUID userId, byte[] sealed) {
    if (sealed.length < MIN_SEALED_BYTES || sealed[0] != VERSION) {
      return Optional.empty();
    }
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, userId, Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES));
      return Optional.of(cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES));
    } catch (AEADBadTagException e) {
      return Optional.empty();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  private Cipher cipher(int mode, UUID userId, byte[] nonce) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    // The canonical lower-case text of the UUID, as PostgreSQL prints it.
    cipher.updateAAD(userId.toString().getBytes(StandardCharsets.UTF_8));
    return cipher;
  }
}
