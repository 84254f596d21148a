package io.tokengate.user;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Argon2id through libsodium ({@code crypto_pwhash}), whose code picks SSSE3, AVX2 or AVX-512 at run time: two to
 * three times faster than Bouncy Castle's pure Java on this kind of machine, and the hash is the password grant's
 * ceiling. Loaded once if the library is installed (Debian: libsodium23); when it is not, {@link #load()} says so
 * and Bouncy Castle does the work. libsodium computes exactly RFC 9106's Argon2id/Argon2i v1.3 with one lane, and
 * writes the same PHC strings, so hashes move freely between the two.
 */
final class Sodium {

  /** {@code crypto_pwhash_ALG_ARGON2ID13}. */
  private static final int ALG_ARGON2ID13 = 2;
  /** {@code crypto_pwhash_STRBYTES}: the buffer a PHC string is written into, NUL included. */
  private static final int STRBYTES = 128;

  /** The functions used, as libsodium declares them (size_t and unsigned long long are 64-bit here). */
  interface Api extends Library {
    int sodium_init();

    int crypto_pwhash_str_alg(byte[] out, byte[] passwd, long passwdlen, long opslimit, long memlimit, int alg);

    int crypto_pwhash_str_verify(byte[] str, byte[] passwd, long passwdlen);
  }

  private final Api library;

  private Sodium(Api library) {
    this.library = library;
  }

  /** @return libsodium, initialized, or empty when it is not installed or does not initialize */
  static Optional<Sodium> load() {
    for (String name : new String[] {"sodium", "libsodium.so.23", "libsodium.so.26"}) {
      try {
        Api library = Native.load(name, Api.class);
        if (library.sodium_init() >= 0) {
          return Optional.of(new Sodium(library));
        }
      } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
        // Not this name; try the next, and in the end let Bouncy Castle do the work.
      }
    }
    return Optional.empty();
  }

  /** An Argon2id v1.3 PHC string with one lane, a 16-byte salt and a 32-byte hash. */
  String hashArgon2id(byte[] password, int iterations, int memoryKib) {
    byte[] out = new byte[STRBYTES];
    if (library.crypto_pwhash_str_alg(out, password, password.length, iterations, memoryKib * 1024L,
      ALG_ARGON2ID13) != 0) {
      throw new IllegalStateException("libsodium could not hash (out of memory?)");
    }
    int end = 0;
    while (end < out.length && out[end] != 0) {
      end++;
    }
    return new String(out, 0, end, StandardCharsets.US_ASCII);
  }

  /** @param encoded a PHC string libsodium can read ({@link Argon2Hasher} decides which) */
  boolean verify(byte[] password, String encoded) {
    byte[] ascii = encoded.getBytes(StandardCharsets.US_ASCII);
    byte[] str = new byte[ascii.length + 1];
    System.arraycopy(ascii, 0, str, 0, ascii.length);
    return library.crypto_pwhash_str_verify(str, password, password.length) == 0;
  }
}
