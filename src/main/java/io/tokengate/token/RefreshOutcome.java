package io.tokengate.token;

/** What became of a presented refresh token: the label values of {@code tokengate_refresh_tokens_total}. */
public enum RefreshOutcome {
  ROTATED("rotated"),
  /** The token rotated away a moment ago, honoured once more inside the reuse grace window. */
  GRACE("grace"),
  /** A rotated token came back: its whole family is revoked (RFC 9700 §4.14.2). */
  REUSE_DETECTED("reuse_detected"),
  EXPIRED("expired"),
  REVOKED("revoked"),
  UNKNOWN("unknown"),
  WRONG_CLIENT("wrong_client"),
  /** Its client was disabled, or is no longer registered for the refresh_token grant. */
  CLIENT_DISABLED("client_disabled"),
  USER_DISABLED("user_disabled"),
  /** Its user's username is locked out after failed password grants (lockout.*). */
  USER_LOCKED("user_locked"),
  /** Its family is bound to a DPoP key, and the request's proof (if any) was signed by another. Nothing changes. */
  DPOP_KEY_MISMATCH("dpop_key_mismatch");

  private final String label;

  RefreshOutcome(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
