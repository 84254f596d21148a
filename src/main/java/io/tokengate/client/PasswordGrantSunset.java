package io.tokengate.client;

import java.time.Instant;
import java.util.Optional;

/**
 * The announced end of a client's password grant (RFC 6749 §4.3): from {@code sunsetAt} on it is refused; until
 * then every password-grant response says so in {@code Deprecation} (RFC 9745) and {@code Sunset} (RFC 8594) headers.
 *
 * @param deprecatedAt when the sunset was first announced: the Deprecation date, never after the sunset
 * @param sunsetAt     when the grant stops working for the client
 */
public record PasswordGrantSunset(Instant deprecatedAt, Instant sunsetAt) {

  public PasswordGrantSunset {
    if (deprecatedAt.isAfter(sunsetAt)) {
      throw new IllegalArgumentException("a grant is deprecated before its sunset, not after");
    }
  }

  /**
   * A sunset announced at {@code now}, or moved: a client that was already warned keeps its Deprecation date, so
   * that the date it was first told stays the date it sees.
   */
  public static PasswordGrantSunset announce(Instant sunsetAt, Instant now, Optional<PasswordGrantSunset> earlier) {
    Instant deprecatedAt = earlier.map(PasswordGrantSunset::deprecatedAt).orElse(now);
    return new PasswordGrantSunset(deprecatedAt.isAfter(sunsetAt) ? sunsetAt : deprecatedAt, sunsetAt);
  }

  /** From the sunset on, the grant is refused. */
  public boolean reached(Instant now) {
    return !now.isBefore(sunsetAt);
  }
}
