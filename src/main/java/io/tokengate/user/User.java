package io.tokengate.user;

import java.util.Optional;
import java.util.UUID;

/**
 * A resource owner as stored: the username is already normalized. A user of an external source (LDAP, a legacy SQL
 * table) has a row too, made on its first login: its id is a name-based UUID of its source and external id, its
 * password is checked by the source ({@code passwordHash} is null), and its profile is the source's last answer.
 *
 * @param source           {@code local}, or the name of the external source it comes from
 * @param externalId       its stable id in that source (kept after a migration into the local table)
 * @param totpSecretSealed its TOTP secret, sealed ({@link TotpSecretSealer}), when it enrolled a second factor
 */
public record User(UUID id, String username, String passwordHash, boolean enabled, Optional<byte[]> totpSecretSealed,
                   String source, Optional<String> externalId, UserProfile profile) {

  /** A local user without attributes or groups. */
  public User(UUID id, String username, String passwordHash, boolean enabled, Optional<byte[]> totpSecretSealed) {
    this(id, username, passwordHash, enabled, totpSecretSealed, LocalUserDirectory.NAME, Optional.empty(),
      UserProfile.EMPTY);
  }

  public boolean hasSecondFactor() {
    return totpSecretSealed.isPresent();
  }

  public boolean isLocal() {
    return LocalUserDirectory.NAME.equals(source);
  }

  @Override
  public String toString() {
    return "User[" + id + ", " + username + (isLocal() ? "" : ", " + source) + (enabled ? "" : ", disabled") + "]";
  }
}
