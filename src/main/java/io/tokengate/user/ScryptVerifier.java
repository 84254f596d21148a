package io.tokengate.user;

import org.bouncycastle.crypto.generators.SCrypt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * scrypt (RFC 7914) as two families of systems store it:
 * <ul>
 *   <li>passlib: {@code $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>}, salt and 32-byte hash in standard base64
 *   without padding (not the adapted base64 of passlib's PBKDF2);</li>
 *   <li>Django: {@code scrypt$<N>$<salt>$<r>$<p>$<hash>} (N before the salt, as Django writes it), the salt used as
 *   the UTF-8 bytes of its text, the 64-byte hash in standard padded base64.</li>
 * </ul>
 */
final class ScryptVerifier implements PasswordVerifier {

  private static final Pattern PASSLIB = Pattern.compile(
    "\\$scrypt\\$ln=(\\d{1,2}),r=(\\d{1,4}),p=(\\d{1,4})\\$([A-Za-z0-9+/]{0,1366})\\$([A-Za-z0-9+/]{43})");
  private static final Pattern DJANGO = Pattern.compile(
    "scrypt\\$(\\d{1,10})\\$([^$\\p{Cntrl}]{1,1024})\\$(\\d{1,4})\\$(\\d{1,4})\\$([A-Za-z0-9+/]{86}==)");
  // 128·r·N bytes are held at once, on a pool of a thread per core in a heap of a few hundred MiB: 64 MiB is
  // passlib's default (ln=16, r=8) and four times Django's. The p passes run one after another, so p multiplies the
  // time only: 128·r·N·p up to 256 MiB takes about a second on one core.
  static final long MAX_MEMORY_BYTES = 64L << 20;
  static final long MAX_WORK_BYTES = 256L << 20;

  private record Encoded(long n, int r, int p, byte[] salt, byte[] hash) {
  }

  @Override
  public boolean handles(String encoded) {
    return encoded.startsWith("$scrypt$") || encoded.startsWith("scrypt$");
  }

  @Override
  public void validate(String encoded) {
    parse(encoded);
  }

  @Override
  public boolean verify(byte[] password, String encoded) {
    Encoded scrypt = parse(encoded);
    byte[] actual = SCrypt.generate(password, scrypt.salt(), (int) scrypt.n(), scrypt.r(), scrypt.p(),
      scrypt.hash().length);
    return MessageDigest.isEqual(scrypt.hash(), actual);
  }

  private static Encoded parse(String encoded) {
    Matcher passlib = PASSLIB.matcher(encoded);
    Matcher django = DJANGO.matcher(encoded);
    Encoded scrypt;
    if (passlib.matches()) {
      int ln = Integer.parseInt(passlib.group(1));
      if (ln < 1 || ln > 32) {
        throw new IllegalArgumentException("scrypt parameters out of bounds");
      }
      scrypt = new Encoded(1L << ln, Integer.parseInt(passlib.group(2)), Integer.parseInt(passlib.group(3)),
        Base64.getDecoder().decode(passlib.group(4)), Base64.getDecoder().decode(passlib.group(5)));
    } else if (django.matches()) {
      scrypt = new Encoded(Long.parseLong(django.group(1)), Integer.parseInt(django.group(3)),
        Integer.parseInt(django.group(4)), django.group(2).getBytes(StandardCharsets.UTF_8),
        Base64.getDecoder().decode(django.group(5)));
    } else {
      throw new IllegalArgumentException("not an scrypt hash");
    }
    long n = scrypt.n();
    long memory = 128L * scrypt.r() * n;
    // RFC 7914 §2: N a power of 2 greater than 1 and below 2^(128·r/8).
    if (n < 2 || Long.bitCount(n) != 1 || Long.numberOfTrailingZeros(n) >= 16L * scrypt.r() || scrypt.r() < 1
      || scrypt.p() < 1 || memory > MAX_MEMORY_BYTES || memory * scrypt.p() > MAX_WORK_BYTES) {
      throw new IllegalArgumentException("scrypt parameters out of bounds");
    }
    return scrypt;
  }
}
