package io.tokengate.user;

import io.vertx.core.Future;

import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The second factor inside the password grant — what RFC 9700 says ROPC cannot do: a TOTP code (RFC 6238) in the
 * {@code otp} parameter, checked after the password, as the client's policy asks. A code is accepted once: its time
 * step must be later than the last one the user used, decided by one conditional write so that two replicas cannot
 * both accept it.
 */
public final class SecondFactor {

  /** What became of the second factor of a login whose password was right. */
  public enum Outcome {
    /** Nothing was needed, or the code was right and new. */
    PASSED,
    /** The user has a second factor and the client sent no code: the client should prompt for one. */
    MISSING,
    /** The client requires a second factor and the user has none. */
    NOT_ENROLLED,
    WRONG,
    REPLAYED
  }

  private final UserRecords users;
  private final Optional<TotpSecretSealer> sealer;
  private final Totp totp;
  private final Clock clock;

  public SecondFactor(UserRecords users, Optional<TotpSecretSealer> sealer, Clock clock) {
    this.users = users;
    this.sealer = sealer;
    this.totp = new Totp();
    this.clock = clock;
  }

  public Future<Outcome> check(User user, Optional<String> code, OtpPolicy policy) {
    if (policy == OtpPolicy.OFF) {
      return Future.succeededFuture(Outcome.PASSED);
    }
    if (!user.hasSecondFactor()) {
      return Future.succeededFuture(policy == OtpPolicy.REQUIRED ? Outcome.NOT_ENROLLED : Outcome.PASSED);
    }
    if (code.isEmpty()) {
      return Future.succeededFuture(Outcome.MISSING);
    }
    // Without the key (a misconfiguration) no code can be checked: fail closed, like a wrong code.
    Optional<byte[]> secret = sealer.flatMap(sealing -> sealing.unseal(user.id(), user.totpSecretSealed().get()));
    if (secret.isEmpty()) {
      return Future.succeededFuture(Outcome.WRONG);
    }
    OptionalLong step = totp.matchingStep(secret.get(), code.get(), clock.instant());
    Arrays.fill(secret.get(), (byte) 0);
    if (step.isEmpty()) {
      return Future.succeededFuture(Outcome.WRONG);
    }
    return users.acceptTotpStep(user.id(), step.getAsLong())
      .map(accepted -> accepted ? Outcome.PASSED : Outcome.REPLAYED);
  }
}
