package io.tokengate.user;

import io.tokengate.config.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ASVS V2.1.1: a password set through tokengate has at least 12 characters (code points, not UTF-16 units). */
class PasswordPolicyTest {

  private final UserRegistration registration = new UserRegistration(null, null,
    ConfigLoader.load(null, Map.of()).limits());

  @Test
  void elevenCharactersAreTooFew() {
    Throwable refused = registration.create("alice", "elevenchars").cause();

    assertTrue(refused instanceof IllegalArgumentException, String.valueOf(refused));
    assertEquals("a password is 12 to 1024 characters", refused.getMessage());
  }

  @Test
  void elevenEmojiAreElevenCharactersNotTwentyTwo() {
    assertTrue(registration.create("alice", "\uD83D\uDD11".repeat(11)).cause() instanceof IllegalArgumentException);
  }
}
