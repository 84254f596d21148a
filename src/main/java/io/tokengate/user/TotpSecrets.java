package io.tokengate.user;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * New TOTP secrets and the two ways they reach an authenticator app: Base32 text (RFC 4648 §6) to type in, and an
 * otpauth URI (Google Authenticator's Key Uri Format) to show as a QR code.
 */
public final class TotpSecrets {

  /** 160 bits: RFC 4226 §4 (R6) recommends them, and they are the length of an HMAC-SHA-1 key. */
  public static final int SECRET_BYTES = 20;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private TotpSecrets() {
  }

  public static byte[] newSecret() {
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(secret);
    return secret;
  }

  /** Base32 without padding: what otpauth URIs and people use (a 160-bit secret needs none anyway). */
  public static String base32(byte[] data) {
    return base32(data, false);
  }

  /** Base32 with the {@code =} padding of RFC 4648 §6. */
  public static String base32Padded(byte[] data) {
    return base32(data, true);
  }

  /**
   * Decodes Base32, upper or lower case, with or without padding. Strict otherwise: no spaces or separators, no
   * length that no encoding produces, and unused trailing bits must be zero (RFC 4648 §3.5), so that each secret has
   * one spelling.
   *
   * @throws IllegalArgumentException if {@code text} is not Base32 (the message never repeats the text)
   */
  public static byte[] fromBase32(String text) {
    int end = text.length();
    while (end > 0 && text.charAt(end - 1) == '=') {
      end--;
    }
    int padding = text.length() - end;
    int partial = end % 8;
    if (partial == 1 || partial == 3 || partial == 6) {
      throw new IllegalArgumentException("not a Base32 length");
    }
    if (padding > 0 && (partial == 0 || padding != 8 - partial)) {
      throw new IllegalArgumentException("wrong Base32 padding");
    }
    byte[] out = new byte[end * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int written = 0;
    for (int i = 0; i < end; i++) {
      buffer = buffer << 5 | valueOf(text.charAt(i), i);
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out[written++] = (byte) (buffer >>> bits);
      }
    }
    if ((buffer & ((1 << bits) - 1)) != 0) {
      throw new IllegalArgumentException("non-zero trailing bits in Base32");
    }
    return out;
  }

  /** An otpauth URI for HMAC-SHA-1, 6 digits, 30 seconds: what every authenticator app understands. */
  public static String otpauthUri(String issuer, String account, byte[] secret) {
    return otpauthUri(issuer, account, secret, new Totp());
  }

  /**
   * {@code otpauth://totp/<issuer>:<account>?secret=...&issuer=...&algorithm=...&digits=...&period=30}, every
   * parameter explicit. The issuer and account are percent-encoded as UTF-8, leaving only RFC 3986's unreserved
   * characters as they are (a space is {@code %20}, never {@code +}).
   *
   * <p>The Key Uri Format allows no colon in either part of the label. The issuer is configuration, so one with a
   * colon is refused. An account is a username, which may contain one: it is encoded as {@code %3A} while the
   * separator stays a literal colon. Apps that split the decoded label at its first colon show it intact; others
   * show the whole label as the account name. The secret and the codes are the same either way.
   *
   * @throws IllegalArgumentException if the issuer is empty or contains a colon, or the account is empty
   */
  public static String otpauthUri(String issuer, String account, byte[] secret, Totp totp) {
    if (issuer.isEmpty() || issuer.indexOf(':') >= 0) {
      throw new IllegalArgumentException("an otpauth issuer is non-empty and has no colon");
    }
    if (account.isEmpty()) {
      throw new IllegalArgumentException("an otpauth account name cannot be empty");
    }
    return "otpauth://totp/" + percentEncode(issuer) + ":" + percentEncode(account)
      + "?secret=" + base32(secret)
      + "&issuer=" + percentEncode(issuer)
      + "&algorithm=" + totp.algorithm().name()
      + "&digits=" + totp.digits()
      + "&period=" + Totp.STEP_SECONDS;
  }

  private static String base32(byte[] data, boolean padded) {
    StringBuilder out = new StringBuilder((data.length + 4) / 5 * 8);
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = buffer << 8 | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        bits -= 5;
        out.append(ALPHABET[(buffer >>> bits) & 0x1f]);
      }
    }
    if (bits > 0) {
      out.append(ALPHABET[(buffer << (5 - bits)) & 0x1f]);
    }
    while (padded && out.length() % 8 != 0) {
      out.append('=');
    }
    return out.toString();
  }

  private static int valueOf(char c, int index) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a';
    }
    if (c >= '2' && c <= '7') {
      return c - '2' + 26;
    }
    throw new IllegalArgumentException("not a Base32 character at index " + index);
  }

  // RFC 3986 §2.3 unreserved characters stay; every other UTF-8 byte becomes %XX (§2.1: upper-case hex).
  private static String percentEncode(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
        || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >>> 4]).append(HEX[c & 0x0f]);
      }
    }
    return out.toString();
  }
}
