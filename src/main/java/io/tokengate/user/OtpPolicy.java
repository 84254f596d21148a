package io.tokengate.user;

import java.util.Arrays;
import java.util.Optional;

/** Whether a client's password grants need the user's second factor (a TOTP code in the {@code otp} parameter). */
public enum OtpPolicy {
  /** Never asked, even from enrolled users: for clients that cannot prompt for a code at all. */
  OFF("off"),
  /** Asked from users who enrolled one; the default. */
  IF_ENROLLED("if-enrolled"),
  /** Every user needs one: users without an enrolled second factor cannot log in through this client. */
  REQUIRED("required");

  private final String value;

  OtpPolicy(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public static Optional<OtpPolicy> fromValue(String value) {
    return Arrays.stream(values()).filter(policy -> policy.value.equals(value)).findFirst();
  }
}
