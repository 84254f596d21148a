package io.tokengate.user;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Argon2HasherTest {

  private final Argon2Hasher hasher = new Argon2Hasher(new Argon2Hasher.Parameters(1024, 2, 1));

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Produced by the reference implementation (Debian's argon2 command, phc-winner-argon2). */
  @Test
  void verifiesHashesFromTheReferenceImplementation() {
    assertTrue(hasher.verify(utf8("correct horse"),
      "$argon2id$v=19$m=1024,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$vzC0aiatXIduywRxbsQzF+ZHrCUYbFzNKjdAD9qbZlI"));
    assertTrue(hasher.verify(utf8("password"),
      "$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$IMit9qkFULCMA/ViizL57cnTLOa5DiVM9eMwpAvPwr4"));
    assertTrue(hasher.verify(utf8("password"),
      "$argon2d$v=19$m=4096,t=2,p=2$c29tZXNhbHQ$6FVzJZNHGZZthbENDTwvymNOdVj6CxKJ"));
    assertTrue(hasher.verify(utf8("pässwörd"),
      "$argon2id$v=16$m=256,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$DzQe3UcgfH57vLbHC08c4KAd3GUI9VXVbgF54/a/lXk"));
  }

  @Test
  void aWrongPasswordDoesNotVerify() {
    assertFalse(hasher.verify(utf8("correct horsf"),
      "$argon2id$v=19$m=1024,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$vzC0aiatXIduywRxbsQzF+ZHrCUYbFzNKjdAD9qbZlI"));
  }

  @Test
  void newHashesAreArgon2idWithTheConfiguredParametersAndARandomSalt() {
    String first = hasher.hash(utf8("s3cret password"));
    String second = hasher.hash(utf8("s3cret password"));

    assertTrue(first.startsWith("$argon2id$v=19$m=1024,t=2,p=1$"), first);
    assertFalse(first.equals(second), "salted");
    assertTrue(hasher.verify(utf8("s3cret password"), first));
    assertFalse(hasher.verify(utf8("s3cret passworD"), first));
  }

  @Test
  void malformedOrHostileHashesAreRefusedNotComputed() {
    for (String hash : new String[] {"", "plain", "$2b$10$abcdefghijklmnopqrstuv", "$argon2id$v=19$m=1024,t=3,p=1$c2FsdA",
      "$argon2id$v=18$m=1024,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$vzC0aiatXIduywRxbsQzF+ZHrCUYbFzNKjdAD9qbZlI",
      "$argon2id$v=19$m=99999999,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$vzC0aiatXIduywRxbsQzF+ZHrCUYbFzNKjdAD9qbZlI",
      "$argon2id$v=19$m=8,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$vzC0aiatXIduywRxbsQzF+ZHrCUYbFzNKjdAD9qbZlI"}) {
      assertThrows(IllegalArgumentException.class, () -> hasher.verify(utf8("x"), hash), hash);
    }
  }
}
