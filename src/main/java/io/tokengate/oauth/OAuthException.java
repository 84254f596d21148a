package io.tokengate.oauth;

/**
 * The one failure type of the request path: an OAuth error, the status it is answered with, and a description
 * that is safe to show to the client (it never carries a secret or a value the client sent).
 */
public final class OAuthException extends RuntimeException {

  /** Seconds a client should wait before retrying after an outage or overload. */
  public static final long RETRY_AFTER_SECONDS = 1;

  private final OAuthError error;
  private final int status;
  private final boolean basicChallenge;
  private final long retryAfterSeconds;
  private final String reason;

  private OAuthException(OAuthError error, int status, String description, boolean basicChallenge,
                         long retryAfterSeconds, Throwable cause) {
    this(error, status, description, basicChallenge, retryAfterSeconds, cause, null);
  }

  private OAuthException(OAuthError error, int status, String description, boolean basicChallenge,
                         long retryAfterSeconds, Throwable cause, String reason) {
    // No stack trace: these are expected outcomes, thrown on the hot path, and never logged with a trace.
    super(asErrorDescription(description), cause, false, false);
    this.error = error;
    this.status = status;
    this.basicChallenge = basicChallenge;
    this.retryAfterSeconds = retryAfterSeconds;
    this.reason = reason;
  }

  /**
   * The same answer for the client, with the server's own reason for the audit log (e.g. "wrong_password" behind a
   * generic invalid_grant). Never rendered.
   */
  public OAuthException because(String internalReason) {
    return new OAuthException(error, status, getMessage(), basicChallenge, retryAfterSeconds, getCause(),
      internalReason);
  }

  /** The audit reason, or the error code when none was given. */
  public String reason() {
    return reason != null ? reason : error.code();
  }

  public static OAuthException of(OAuthError error, String description) {
    return new OAuthException(error, error.status(), description, false, 0, null);
  }

  public static OAuthException invalidRequest(String description) {
    return of(OAuthError.INVALID_REQUEST, description);
  }

  /** A body over the size limit: still {@code invalid_request}, but answered with 413. */
  public static OAuthException bodyTooLarge(int limit) {
    return new OAuthException(OAuthError.INVALID_REQUEST, 413,
      "request body exceeds " + limit + " bytes", false, 0, null);
  }

  /** A method other than POST: {@code invalid_request} answered with 405 (RFC 6749 §3.2). */
  public static OAuthException methodNotAllowed() {
    return new OAuthException(OAuthError.INVALID_REQUEST, 405, "the endpoint accepts POST only", false, 0, null);
  }

  /**
   * RFC 6749 §5.2: 401 with a {@code WWW-Authenticate} challenge, so that a client that did not (or could not)
   * authenticate with the Authorization header learns how to.
   */
  public static OAuthException invalidClient(String description) {
    return new OAuthException(OAuthError.INVALID_CLIENT, 401, description, true, 0, null);
  }

  public static OAuthException invalidGrant(String description) {
    return of(OAuthError.INVALID_GRANT, description);
  }

  /** 429 with {@code Retry-After}: the client or its address sent more than its rate allows. */
  public static OAuthException rateLimited(long retryAfterSeconds) {
    return new OAuthException(OAuthError.TEMPORARILY_UNAVAILABLE, 429, "too many requests, retry later", false,
      Math.max(1, retryAfterSeconds), null, "rate_limited");
  }

  /** 503 with {@code Retry-After}: an overload or an outage, not the client's fault. */
  public static OAuthException temporarilyUnavailable(String description, Throwable cause) {
    return new OAuthException(OAuthError.TEMPORARILY_UNAVAILABLE, 503, description, false, RETRY_AFTER_SECONDS, cause);
  }

  public static OAuthException serverError(Throwable cause) {
    return new OAuthException(OAuthError.SERVER_ERROR, 500, "the server could not process the request", false, 0, cause);
  }

  /** RFC 6749 §5.2: error_description may hold only %x20-21 / %x23-5B / %x5D-7E. */
  static String asErrorDescription(String text) {
    StringBuilder allowed = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      allowed.append(c >= 0x20 && c <= 0x7E && c != '"' && c != '\\' ? c : '?');
    }
    return allowed.toString();
  }

  public OAuthError error() {
    return error;
  }

  public int status() {
    return status;
  }

  public String description() {
    return getMessage();
  }

  public boolean basicChallenge() {
    return basicChallenge;
  }

  /** Seconds for a {@code Retry-After} header, or 0 for none. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
