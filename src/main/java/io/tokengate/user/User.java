package io.tokengate.user;

import java.util.UUID;

/** A resource owner as stored: the username is already normalized. */
public record User(UUID id, String username, String passwordHash, boolean enabled) {

  @Override
  public String toString() {
    return "User[" + id + ", " + username + (enabled ? "" : ", disabled") + "]";
  }
}
