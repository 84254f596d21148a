package io.tokengate.user;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The keyed digest of a normalized username — HMAC-SHA256 under {@code users.username_key} — that keys its lockout
 * count and stands for it in audit lines. Unkeyed, a dictionary of common usernames would reverse it.
 * <p>
 * PostgreSQL computes the same bytes without an extension, from the key's inner and outer pads (RFC 2104):
 * {@link #sql} writes the expression, {@link #innerPad()} and {@link #outerPad()} are its parameters.
 */
public final class UsernameDigests {

  private static final int BLOCK = 64;
  private final byte[] key;

  public UsernameDigests(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("users.username_key must be 32 bytes");
    }
    this.key = key.clone();
  }

  /** @return HMAC-SHA256(key, UTF-8 of the normalized username): the lockout key */
  public byte[] digest(String normalizedUsername) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(normalizedUsername.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** How audit lines name a username that is not (or not yet) a user: {@code hmac:<64 hex digits>}. */
  public String auditId(String normalizedUsername) {
    return "hmac:" + HexFormat.of().formatHex(digest(normalizedUsername));
  }

  /** The SQL of the same digest, e.g. {@code sql("$3", "$4", "u.username")}. */
  public static String sql(String innerPad, String outerPad, String usernameExpression) {
    return "sha256(" + outerPad + " || sha256(" + innerPad + " || convert_to(" + usernameExpression + ", 'UTF8')))";
  }

  public byte[] innerPad() {
    return pad((byte) 0x36);
  }

  public byte[] outerPad() {
    return pad((byte) 0x5c);
  }

  private byte[] pad(byte with) {
    byte[] pad = new byte[BLOCK];
    for (int i = 0; i < BLOCK; i++) {
      pad[i] = (byte) ((i < key.length ? key[i] : 0) ^ with);
    }
    return pad;
  }
}
