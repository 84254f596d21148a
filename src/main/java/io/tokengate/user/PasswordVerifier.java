package io.tokengate.user;

/**
 * One family of stored password hash formats: tokengate's own Argon2 or one a legacy system wrote. Verifying is CPU-
 * and memory-bound: call {@link #verify} only on the hashing pool. Parameters read from a stored hash are bounded, so
 * that a corrupt or hostile imported row cannot make one login cost more than a few seconds or exhaust the heap.
 */
interface PasswordVerifier {

  /** Whether {@code encoded} is of this family, by its prefix alone: it may still be malformed. */
  boolean handles(String encoded);

  /**
   * Parses {@code encoded} without computing any hash.
   *
   * @throws IllegalArgumentException if it is malformed or its parameters are out of bounds
   */
  void validate(String encoded);

  /**
   * @param password the password as the originating system hashed it: its UTF-8 bytes
   * @throws IllegalArgumentException if {@code encoded} is malformed or its parameters are out of bounds
   */
  boolean verify(byte[] password, String encoded);
}
