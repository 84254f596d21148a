package io.tokengate.user;

import io.tokengate.store.Sealer;

import java.util.Optional;
import java.util.UUID;

/**
 * Users' TOTP secrets at rest: computing a code needs the secret itself, so it is stored sealed ({@link Sealer})
 * under {@code totp.encryption_key}, bound to the user's id so that a sealed secret copied to another user's row
 * does not open.
 */
public final class TotpSecretSealer {

  private final Sealer sealer;

  public TotpSecretSealer(byte[] key) {
    this.sealer = new Sealer(key);
  }

  public byte[] seal(UUID userId, byte[] secret) {
    return sealer.seal(associatedData(userId), secret);
  }

  /** @return the secret, or empty if it does not open: another key, another user's row, tampering or garbage */
  public Optional<byte[]> unseal(UUID userId, byte[] sealed) {
    return sealer.open(associatedData(userId), sealed);
  }

  /** The canonical lower-case text of the UUID, as PostgreSQL prints it. */
  private static String associatedData(UUID userId) {
    return "totp:" + userId;
  }
}
