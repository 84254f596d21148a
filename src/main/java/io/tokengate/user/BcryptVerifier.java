package io.tokengate.user;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bcrypt as OpenBSD, crypt_blowfish (PHP, Owl, openSUSE), libxcrypt and the libraries that follow them write it:
 * {@code $2b$<cost>$<22-character salt><31-character hash>} in bcrypt's own base64, for the versions {@code 2a},
 * {@code 2b} and {@code 2y}. {@code $2$} (no terminating NUL) and {@code $2x$} (crypt_blowfish's emulation of its own
 * sign-extension bug) are not handled, so they count as formats this server cannot verify. {@code $2a$} is computed
 * as {@code $2b$}: crypt_blowfish and libxcrypt differ only for a key with a 0xFF byte before one with the high bit
 * set, which UTF-8 never has; OpenBSD before 5.5 differed only for passwords of 255 bytes or more, whose length it
 * counted in 8 bits.
 */
final class BcryptVerifier implements PasswordVerifier {

  private static final Pattern BCRYPT = Pattern.compile(
    "\\$2([aby])\\$(\\d\\d)\\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})");
  private static final String ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final int MIN_COST = 4;
  // 2^cost rounds: cost 14 takes about a second on one core, and every step doubles it.
  static final int MAX_COST = 16;

  @Override
  public boolean handles(String encoded) {
    return encoded.startsWith("$2a$") || encoded.startsWith("$2b$") || encoded.startsWith("$2y$");
  }

  @Override
  public void validate(String encoded) {
    canonical(encoded);
  }

  @Override
  public boolean verify(byte[] password, String encoded) {
    String canonical = canonical(encoded);
    byte[] key = upToFirstNul(password);
    try {
      return OpenBSDBCrypt.checkPassword(canonical, key);
    } finally {
      if (key != password) {
        Arrays.fill(key, (byte) 0);
      }
    }
  }

  /**
   * What the C implementations hash, and so what every stored bcrypt hash is of (OpenBSD's bcrypt.c, crypt_blowfish's
   * BF_set_key): the password is a C string, so it ends at its first NUL byte; the key is its bytes followed by that
   * terminating NUL, cut to the first 72 bytes. Bouncy Castle does the second half itself (it appends the NUL to a
   * password shorter than 72 bytes and keeps only the first 72 of a longer one), but it hashes every byte it is given,
   * NULs included; so the first half is done here: only the bytes before the first NUL count.
   */
  private static byte[] upToFirstNul(byte[] password) {
    for (int i = 0; i < password.length; i++) {
      if (password[i] == 0) {
        return Arrays.copyOf(password, i);
      }
    }
    return password;
  }

  /** The string to compare against, with the unused bits of the salt and the hash cleared. */
  private static String canonical(String encoded) {
    Matcher bcrypt = BCRYPT.matcher(encoded);
    if (!bcrypt.matches()) {
      throw new IllegalArgumentException("not a bcrypt string");
    }
    int cost = Integer.parseInt(bcrypt.group(2));
    if (cost < MIN_COST || cost > MAX_COST) {
      throw new IllegalArgumentException("bcrypt cost " + cost + " out of bounds");
    }
    // Unused bits: the salt's last character has 4 (16 bytes in 22 characters), the hash's 2 (23 bytes in 31). A few
    // old generators set them. passlib clears them and verifies (with a warning), Go's x/crypto ignores the salt's;
    // OpenBSD and crypt_blowfish compare the string they compute, so never match. The bits carry nothing.
    return "$2" + bcrypt.group(1) + "$" + bcrypt.group(2) + "$"
      + withLastMasked(bcrypt.group(3), 0x30) + withLastMasked(bcrypt.group(4), 0x3c);
  }

  private static String withLastMasked(String base64, int mask) {
    int last = base64.length() - 1;
    return base64.substring(0, last) + ALPHABET.charAt(ALPHABET.indexOf(base64.charAt(last)) & mask);
  }
}
