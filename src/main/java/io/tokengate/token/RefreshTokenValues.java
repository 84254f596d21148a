package io.tokengate.token;

import io.tokengate.crypto.Digests;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;

/** Refresh tokens are 256 random bits (base64url); only their SHA-256 is ever stored. */
final class RefreshTokenValues {

  /** Longer input cannot be one of ours; it is not even hashed. */
  static final int MAX_LENGTH = 512;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int GCM_NONCE_BYTES = 12;
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private RefreshTokenValues() {
  }

  static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return BASE64URL.encodeToString(bytes);
  }

  static byte[] hash(String token) {
    return Digests.sha256(token);
  }

  /**
   * Encrypts a successor under a key derived from the token it replaces: whoever presents that token again inside
   * the reuse grace window gets the same successor back, and no one else can read it, the database included.
   */
  static byte[] seal(String presented, String successor) {
    try {
      byte[] nonce = new byte[GCM_NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, sealingKey(presented), new GCMParameterSpec(128, nonce));
      byte[] encrypted = cipher.doFinal(successor.getBytes(StandardCharsets.US_ASCII));
      byte[] sealed = new byte[nonce.length + encrypted.length];
      System.arraycopy(nonce, 0, sealed, 0, nonce.length);
      System.arraycopy(encrypted, 0, sealed, nonce.length, encrypted.length);
      return sealed;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static Optional<String> unseal(String presented, byte[] sealed) {
    if (sealed == null || sealed.length <= GCM_NONCE_BYTES) {
      return Optional.empty();
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, sealingKey(presented), new GCMParameterSpec(128, sealed, 0, GCM_NONCE_BYTES));
      byte[] successor = cipher.doFinal(sealed, GCM_NONCE_BYTES, sealed.length - GCM_NONCE_BYTES);
      return Optional.of(new String(successor, StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      return Optional.empty();
    }
  }

  private static SecretKeySpec sealingKey(String presented) {
    return new SecretKeySpec(hash("tokengate refresh successor\0" + presented), "AES");
  }

  static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
