package io.tokengate.user;

/**
 * An external user source could not answer (down, too slow, its certificate refused, its queue full): the request
 * gets {@code 503 temporarily_unavailable}, no lockout count, and no other source is asked.
 */
public final class SourceUnavailableException extends RuntimeException {

  private final String source;

  /** @param reason why, for logs and the readiness detail: never a password or a bind credential */
  public SourceUnavailableException(String source, String reason, Throwable cause) {
    super("user source '" + source + "' is unavailable: " + reason, cause, false, false);
    this.source = source;
  }

  public String source() {
    return source;
  }
}
