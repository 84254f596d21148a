package io.tokengate.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * A signing key in the database as {@code keys list} shows it and as the loader schedules it: no key material, only
 * its state and dates.
 *
 * @param state          as stored: {@code next} (published, signs from {@code signsFrom}), {@code active} or
 *                       {@code retired}
 * @param signsFrom      when a {@code next} key takes over signing
 * @param retiredAt      when a retired key stopped signing
 * @param publishedUntil when a retired key leaves the JWKS (empty for rows of earlier releases: a day after retiredAt)
 */
public record KeyRecord(String kid, String algorithm, String state, Instant createdAt, Optional<Instant> signsFrom,
                        Optional<Instant> retiredAt, Optional<Instant> publishedUntil) {

  /** How long earlier releases kept a retired key published. */
  static final Duration LEGACY_PUBLICATION = Duration.ofDays(1);

  /**
   * The state at {@code now}, which may be ahead of the stored one: a next key whose time has come is active, and the
   * active key it replaces is retired, before any replica has written the change.
   */
  public String stateAt(Instant now, Collection<KeyRecord> all) {
    if ("next".equals(state) && !signsFrom.orElseThrow().isAfter(now)) {
      return "active";
    }
    if ("active".equals(state) && takenOverAt(now, all).isPresent()) {
      return "retired";
    }
    return state;
  }

  /** When a next key of the same algorithm took over from this active key, if it has by {@code now}. */
  private Optional<Instant> takenOverAt(Instant now, Collection<KeyRecord> all) {
    return all.stream()
      .filter(other -> "next".equals(other.state()) && other.algorithm().equals(algorithm))
      .map(other -> other.signsFrom().orElseThrow())
      .filter(from -> !from.isAfter(now))
      .findFirst();
  }

  /** Whether the key is in the JWKS at {@code now}: every key that signs or will sign, and retired keys until their date. */
  public boolean publishedAt(Instant now, Collection<KeyRecord> all) {
    if (!"retired".equals(stateAt(now, all))) {
      return true;
    }
    // Retired by a take-over no replica has recorded yet: published; a stored retirement without dates: not.
    return publicationEnd().map(now::isBefore).orElse(!"retired".equals(state));
  }

  /** When a retired key leaves the JWKS; empty while a replica has not yet recorded its retirement. */
  public Optional<Instant> publicationEnd() {
    return publishedUntil.or(() -> retiredAt.map(at -> at.plus(LEGACY_PUBLICATION)));
  }
}
