package io.tokengate.user;

import java.util.Optional;
import java.util.UUID;

/**
 * A resource owner as stored: the username is already normalized.
 *
 * @param totpSecretSealed its TOTP secret, sealed ({@link TotpSecretSealer}), when it enrolled a second factor
 */
public record User(UUID id, String username, String passwordHash, boolean enabled, Optional<byte[]> totpSecretSealed) {

  public boolean hasSecondFactor() {
    return totpSecretSealed.isPresent();
  }

  @Override
  public String toString() {
    return "User[" + id + ", " + username + (enabled ? "" : ", disabled") + "]";
  }
}
