package io.tokengate.user;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * libsodium and Bouncy Castle compute the same Argon2: a hash made by either verifies with the other, so a replica
 * with the native library and one without can share a database. (.ci/run installs libsodium23, so CI runs these.)
 */
class SodiumArgon2Test {

  private static final Argon2Hasher.Parameters PARAMETERS = new Argon2Hasher.Parameters(7168, 5, 1);
  private static final byte[] PASSWORD = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
  private static final byte[] WRONG = "correct horse battery stapler".getBytes(StandardCharsets.UTF_8);

  private static Argon2Hasher sodium;
  private static Argon2Hasher java;

  @BeforeAll
  static void load() {
    assumeTrue(Sodium.load().isPresent(), "libsodium is not installed here");
    sodium = new Argon2Hasher(PARAMETERS, Argon2Hasher.Implementation.NATIVE);
    java = new Argon2Hasher(PARAMETERS, Argon2Hasher.Implementation.JAVA);
  }

  @Test
  void eachVerifiesTheOthersHashes() {
    String bySodium = sodium.hash(PASSWORD);
    String byJava = java.hash(PASSWORD);

    assertTrue(bySodium.startsWith("$argon2id$v=19$m=7168,t=5,p=1$"), bySodium);
    assertTrue(java.verify(PASSWORD, bySodium));
    assertTrue(sodium.verify(PASSWORD, byJava));
    assertFalse(java.verify(WRONG, bySodium));
    assertFalse(sodium.verify(WRONG, byJava));
    assertTrue(sodium.implementationName().equals("libsodium"));
  }

  @Test
  void whatLibsodiumCannotReadIsLeftToBouncyCastle() {
    // Two lanes, and Argon2i with one pass: libsodium refuses both; the answer must still be right.
    Argon2Hasher twoLanes = new Argon2Hasher(new Argon2Hasher.Parameters(7168, 2, 2), Argon2Hasher.Implementation.JAVA);
    String parallel = twoLanes.hash(PASSWORD);
    assertTrue(sodium.verify(PASSWORD, parallel));
    assertFalse(sodium.verify(WRONG, parallel));
  }

  @Test
  void aNativeHasherWithTwoLanesHashesInJava() {
    Argon2Hasher nativeTwoLanes = new Argon2Hasher(new Argon2Hasher.Parameters(7168, 2, 2),
      Argon2Hasher.Implementation.NATIVE);
    String hash = nativeTwoLanes.hash(PASSWORD);
    assertTrue(hash.contains(",p=2$"));
    assertTrue(java.verify(PASSWORD, hash));
  }
}
