package io.tokengate.user;

import java.text.Normalizer;

/** One spelling per username, so that lookup and uniqueness agree however a client composed the characters. */
public final class Usernames {

  private Usernames() {
  }

  public static String normalize(String username) {
    return Normalizer.normalize(username, Normalizer.Form.NFC);
  }

  /** Whether a username may be stored: non-empty, no control characters, no surrounding spaces. */
  public static boolean isAcceptable(String normalized, int maxLength) {
    if (normalized.isEmpty() || normalized.length() > maxLength || !normalized.strip().equals(normalized)) {
      return false;
    }
    return normalized.codePoints().noneMatch(Character::isISOControl);
  }
}
