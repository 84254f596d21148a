package io.tokengate.user;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PBKDF2 (RFC 8018 §5.2) as two families of systems store it:
 * <ul>
 *   <li>passlib: {@code $pbkdf2-sha256$<rounds>$<salt>$<hash>}, {@code $pbkdf2-sha512$...} and {@code $pbkdf2$...}
 *   (HMAC-SHA1), salt and hash in passlib's "adapted base64" (the standard alphabet with '.' for '+', unpadded);</li>
 *   <li>Django: {@code pbkdf2_sha256$<iterations>$<salt>$<hash>} and {@code pbkdf2_sha1$...}, the salt used as the
 *   UTF-8 bytes of its text, the hash in standard padded base64.</li>
 * </ul>
 * The hash is exactly as long as the HMAC's output, as both write and passlib requires. The password is the UTF-8
 * bytes as given, NULs included, as both hash them.
 */
final class Pbkdf2Verifier implements PasswordVerifier {

  private static final Pattern PASSLIB = Pattern.compile(
    "\\$pbkdf2(-sha256|-sha512)?\\$(\\d{1,10})\\$([./A-Za-z0-9]{0,1366})\\$([./A-Za-z0-9]{27,86})");
  private static final Pattern DJANGO = Pattern.compile(
    "pbkdf2_(sha256|sha1)\\$(\\d{1,10})\\$([^$\\p{Cntrl}]{1,1024})\\$([A-Za-z0-9+/]{27,43}={0,1})");
  // 10 million iterations of HMAC-SHA1 or HMAC-SHA256 take about 2.5 s on one core, of HMAC-SHA512 about 9 s.
  // Django's default is 1,000,000 (5.2), passlib's 29,000 (SHA-256), 25,000 (SHA-512) and 131,000 (SHA-1).
  static final long MAX_ITERATIONS = 10_000_000;

  private record Encoded(String mac, long iterations, byte[] salt, byte[] hash) {
  }

  @Override
  public boolean handles(String encoded) {
    return encoded.startsWith("$pbkdf2$") || encoded.startsWith("$pbkdf2-sha256$")
      || encoded.startsWith("$pbkdf2-sha512$") || encoded.startsWith("pbkdf2_sha256$")
      || encoded.startsWith("pbkdf2_sha1$");
  }

  @Override
  public void validate(String encoded) {
    parse(encoded);
  }

  @Override
  public boolean verify(byte[] password, String encoded) {
    Encoded pbkdf2 = parse(encoded);
    byte[] actual = derive(pbkdf2.mac(), password, pbkdf2.salt(), (int) pbkdf2.iterations(), pbkdf2.hash().length);
    return MessageDigest.isEqual(pbkdf2.hash(), actual);
  }

  private static Encoded parse(String encoded) {
    Matcher passlib = PASSLIB.matcher(encoded);
    Matcher django = DJANGO.matcher(encoded);
    Encoded pbkdf2;
    if (passlib.matches()) {
      String mac = passlib.group(1) == null ? "HmacSHA1"
        : passlib.group(1).equals("-sha256") ? "HmacSHA256" : "HmacSHA512";
      pbkdf2 = new Encoded(mac, Long.parseLong(passlib.group(2)), adaptedBase64(passlib.group(3)),
        adaptedBase64(passlib.group(4)));
    } else if (django.matches()) {
      String mac = django.group(1).equals("sha256") ? "HmacSHA256" : "HmacSHA1";
      pbkdf2 = new Encoded(mac, Long.parseLong(django.group(2)), django.group(3).getBytes(StandardCharsets.UTF_8),
        Base64.getDecoder().decode(django.group(4)));
    } else {
      throw new IllegalArgumentException("not a PBKDF2 hash");
    }
    if (pbkdf2.hash().length != macLength(pbkdf2.mac())) {
      throw new IllegalArgumentException("PBKDF2 hash of the wrong length");
    }
    if (pbkdf2.iterations() < 1 || pbkdf2.iterations() > MAX_ITERATIONS) {
      throw new IllegalArgumentException("PBKDF2 iterations out of bounds");
    }
    return pbkdf2;
  }

  /** passlib's ab64: standard base64 with '.' in place of '+' and no padding. */
  private static byte[] adaptedBase64(String text) {
    return Base64.getDecoder().decode(text.replace('.', '+'));
  }

  private static int macLength(String mac) {
    return switch (mac) {
      case "HmacSHA1" -> 20;
      case "HmacSHA256" -> 32;
      default -> 64;
    };
  }

  /**
   * PBKDF2 on the password's bytes. Not the JDK's SecretKeyFactory: its PBEKeySpec takes a char[] that the provider
   * encodes (UTF-8 in SunJCE, by specification up to the provider), which cannot carry bytes as they were hashed.
   */
  static byte[] derive(String macAlgorithm, byte[] password, byte[] salt, int iterations, int length) {
    try {
      Mac mac = Mac.getInstance(macAlgorithm);
      // SecretKeySpec refuses an empty key. HMAC pads a short key with zeros to the block size (RFC 2104 §2), so an
      // empty password and a single zero byte are the same key.
      mac.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, macAlgorithm));
      int hLen = mac.getMacLength();
      byte[] derived = new byte[length];
      byte[] u = new byte[hLen];
      byte[] t = new byte[hLen];
      for (int block = 1; (block - 1) * hLen < length; block++) {
        mac.update(salt);
        mac.update(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
        mac.doFinal(u, 0);
        System.arraycopy(u, 0, t, 0, hLen);
        for (int i = 1; i < iterations; i++) {
          mac.update(u);
          mac.doFinal(u, 0);
          for (int k = 0; k < hLen; k++) {
            t[k] ^= u[k];
          }
        }
        System.arraycopy(t, 0, derived, (block - 1) * hLen, Math.min(hLen, length - (block - 1) * hLen));
      }
      return derived;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
