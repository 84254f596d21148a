package io.tokengate.user;

import java.util.List;
import java.util.Optional;

/** Every stored hash format this server verifies, picked by the hash's prefix. */
final class PasswordVerifiers {

  private static final List<PasswordVerifier> ALL = List.of(
    new Argon2Verifier(), new BcryptVerifier(), new Pbkdf2Verifier(), new ScryptVerifier());

  private PasswordVerifiers() {
  }

  /** The verifier of {@code encoded}'s format, if this server has one; the hash may still be malformed. */
  static Optional<PasswordVerifier> forHash(String encoded) {
    return ALL.stream().filter(verifier -> verifier.handles(encoded)).findFirst();
  }

  /** Whether {@code encoded} is well-formed, within bounds, and in a format this server verifies. */
  static boolean isSupported(String encoded) {
    Optional<PasswordVerifier> verifier = forHash(encoded);
    if (verifier.isEmpty()) {
      return false;
    }
    try {
      verifier.get().validate(encoded);
      return true;
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }

  /** @throws IllegalArgumentException if the format is unknown, the hash malformed or its parameters out of bounds */
  static boolean verify(byte[] password, String encoded) {
    return forHash(encoded)
      .orElseThrow(() -> new IllegalArgumentException("not a password hash format this server verifies"))
      .verify(password, encoded);
  }
}
