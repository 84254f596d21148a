package io.tokengate.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Every SHA-256 tokengate computes. The outputs are stored or compared elsewhere and must never change: refresh-token
 * hashes, migration checksums (lower-case hex in schema_migrations), lockout keys equal to PostgreSQL's
 * {@code sha256(convert_to(username, 'UTF8'))}, RFC 8705 certificate thumbprints (base64url, no padding).
 */
public final class Digests {

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private Digests() {
  }

  public static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  /** Of the text's UTF-8 bytes. */
  public static byte[] sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Lower-case hex of the SHA-256 of the text's UTF-8 bytes. */
  public static String sha256Hex(String text) {
    return HexFormat.of().formatHex(sha256(text));
  }

  /** Base64url without padding of the SHA-256 of the bytes. */
  public static String sha256Base64Url(byte[] input) {
    return BASE64URL.encodeToString(sha256(input));
  }

  /** Compares in time that depends only on the lengths. */
  public static boolean equal(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }
}
