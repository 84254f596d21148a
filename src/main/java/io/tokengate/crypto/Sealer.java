package io.tokengate.crypto;

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
 * The sealing envelope: AES-256-GCM with associated data naming what the secret is and whose. Two versions:
 *
 * <ul>
 *   <li>1 (before the keyring): a version byte, the 12-byte nonce, then ciphertext and tag; associated data
 *       {@code purpose:owner}. Still opened, with the deprecated per-purpose keys.</li>
 *   <li>2: a version byte, the key id's length (one byte) and the key id in ASCII, the nonce, then ciphertext and
 *       tag; associated data {@code 2:keyId:purpose:owner}, so the id in the header cannot be swapped.</li>
 * </ul>
 *
 * PostgreSQL can read the key id of a version-2 value without a key, which is how rows are counted by key.
 */
final class Sealer {

  static final byte V1 = 1;
  static final byte V2 = 2;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Sealer() {
  }

  static byte[] sealV1(byte[] key, String associatedData, byte[] secret) {
    return seal(key, new byte[] {V1}, associatedData, secret);
  }

  static byte[] sealV2(SealingKey key, String associatedData, byte[] secret) {
    byte[] id = key.id().getBytes(StandardCharsets.US_ASCII);
    byte[] header = new byte[2 + id.length];
    header[0] = V2;
    header[1] = (byte) id.length;
    System.arraycopy(id, 0, header, 2, id.length);
    return seal(key.key(), header, v2AssociatedData(key.id(), associatedData), secret);
  }

  static String v2AssociatedData(String keyId, String associatedData) {
    return "2:" + keyId + ":" + associatedData;
  }

  /** The key id of a version-2 value; empty for version 1 or garbage. */
  static Optional<String> keyId(byte[] sealed) {
    if (sealed.length < 3 || sealed[0] != V2 || sealed.length < 2 + (sealed[1] & 0xff)) {
      return Optional.empty();
    }
    return Optional.of(new String(sealed, 2, sealed[1] & 0xff, StandardCharsets.US_ASCII));
  }

  /** @return the secret, or empty if it does not open: another key, another owner, tampering or garbage */
  static Optional<byte[]> open(byte[] key, int headerLength, String associatedData, byte[] sealed) {
    int body = headerLength + NONCE_BYTES;
    if (sealed.length < body + TAG_BITS / 8 + 1) {
      return Optional.empty();
    }
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, associatedData, Arrays.copyOfRange(sealed, headerLength, body));
      return Optional.of(cipher.doFinal(sealed, body, sealed.length - body));
    } catch (AEADBadTagException e) {
      return Optional.empty();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  private static byte[] seal(byte[] key, byte[] header, String associatedData, byte[] secret) {
    if (secret.length == 0) {
      throw new IllegalArgumentException("an empty secret cannot be sealed");
    }
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      byte[] encrypted = cipher(Cipher.ENCRYPT_MODE, key, associatedData, nonce).doFinal(secret);
      byte[] sealed = new byte[header.length + NONCE_BYTES + encrypted.length];
      System.arraycopy(header, 0, sealed, 0, header.length);
      System.arraycopy(nonce, 0, sealed, header.length, NONCE_BYTES);
      System.arraycopy(encrypted, 0, sealed, header.length + NONCE_BYTES, encrypted.length);
      return sealed;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  private static Cipher cipher(int mode, byte[] key, String associatedData, byte[] nonce)
    throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }
}
