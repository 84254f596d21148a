package io.tokengate.oauth;

/**
 * The error codes of RFC 6749 §5.2 (plus the two of §4.1.2.1 that a token endpoint also needs, and RFC 9449's for a
 * bad DPoP proof), with their status.
 */
public enum OAuthError {
  INVALID_REQUEST("invalid_request", 400),
  INVALID_CLIENT("invalid_client", 401),
  INVALID_GRANT("invalid_grant", 400),
  UNAUTHORIZED_CLIENT("unauthorized_client", 400),
  UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
  INVALID_SCOPE("invalid_scope", 400),
  /** RFC 8707 §2: a resource that is malformed, unknown, or not allowed here. */
  INVALID_TARGET("invalid_target", 400),
  /** RFC 6750 §3.1, at a protected resource (userinfo). */
  INVALID_TOKEN("invalid_token", 401),
  INSUFFICIENT_SCOPE("insufficient_scope", 403),
  SERVER_ERROR("server_error", 500),
  TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 503),
  INVALID_DPOP_PROOF("invalid_dpop_proof", 400);

  private final String code;
  private final int status;

  OAuthError(String code, int status) {
    this.code = code;
    this.status = status;
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }
}
