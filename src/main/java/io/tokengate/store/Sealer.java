package io.tokengate.store;

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
 * Secrets the server must be able to read back, at rest: AES-256-GCM under a key that lives only in the
 * configuration, with associated data naming what the secret is and whose (e.g. {@code "totp:" + userId}), so that
 * a sealed value copied to another row, or to another kind of column, does not open. A leaked database alone
 * reveals nothing.
 *
 * <p>Layout: a version byte, the 12-byte nonce, then ciphertext and tag.
 */
public final class Sealer {

  private static final byte VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int MIN_SEALED_BYTES = 1 + NONCE_BYTES + TAG_BITS / 8 + 1;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  /** @throws IllegalArgumentException unless the key has 32 bytes */
  public Sealer(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("an encryption key must be 32 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
  }

  public byte[] seal(String associatedData, byte[] secret) {
    if (secret.length == 0) {
      throw new IllegalArgumentException("an empty secret cannot be sealed");
    }
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      byte[] encrypted = cipher(Cipher.ENCRYPT_MODE, associatedData, nonce).doFinal(secret);
      byte[] sealed = new byte[1 + NONCE_BYTES + encrypted.length];
      sealed[0] = VERSION;
      System.arraycopy(nonce, 0, sealed, 1, NONCE_BYTES);
      System.arraycopy(encrypted, 0, sealed, 1 + NONCE_BYTES, encrypted.length);
      return sealed;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  /** @return the secret, or empty if it does not open: another key, another owner, tampering or garbage */
  public Optional<byte[]> open(String associatedData, byte[] sealed) {
    if (sealed.length < MIN_SEALED_BYTES || sealed[0] != VERSION) {
      return Optional.empty();
    }
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, associatedData, Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES));
      return Optional.of(cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES));
    } catch (AEADBadTagException e) {
      return Optional.empty();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  private Cipher cipher(int mode, String associatedData, byte[] nonce) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }
}
