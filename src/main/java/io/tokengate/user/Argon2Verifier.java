package io.tokengate.user;

/** Argon2 PHC strings, tokengate's own and those of other systems: any variant, version 16 or 19. */
final class Argon2Verifier implements PasswordVerifier {

  @Override
  public boolean handles(String encoded) {
    return Argon2Hasher.isArgon2(encoded);
  }

  @Override
  public void validate(String encoded) {
    Argon2Hasher.parse(encoded);
  }

  @Override
  public boolean verify(byte[] password, String encoded) {
    return Argon2Hasher.matches(password, Argon2Hasher.parse(encoded));
  }
}
