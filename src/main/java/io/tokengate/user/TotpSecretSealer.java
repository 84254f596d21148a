package io.tokengate.user;

import io.tokengate.crypto.Keyring;
import io.tokengate.crypto.Purpose;

import java.util.Optional;
import java.util.UUID;

/**
 * Users' TOTP secrets at rest: computing a code needs the secret itself, so it is stored sealed by the
 * {@link Keyring}, bound to the user's id so that a sealed secret copied to another user's row does not open.
 */
public final class TotpSecretSealer {

  private final Keyring keyring;

  private TotpSecretSealer(Keyring keyring) {
    this.keyring = keyring;
  }

  /** Empty when no key can seal TOTP secrets: then nobody can enroll. */
  public static Optional<TotpSecretSealer> of(Keyring keyring) {
    return keyring.canSeal(Purpose.TOTP_SECRET) ? Optional.of(new TotpSecretSealer(keyring)) : Optional.empty();
  }

  public byte[] seal(UUID userId, byte[] secret) {
    return keyring.seal(Purpose.TOTP_SECRET, userId.toString(), secret);
  }

  /** @return the secret, or empty if it does not open: another key, another user's row, tampering or garbage */
  public Optional<byte[]> unseal(UUID userId, byte[] sealed) {
    return keyring.open(Purpose.TOTP_SECRET, userId.toString(), sealed);
  }
}
