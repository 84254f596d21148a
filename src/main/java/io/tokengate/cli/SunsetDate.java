package io.tokengate.cli;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * A {@code --password-grant-sunset} value: an ISO date (the start of that day, UTC) or date-time (UTC unless it
 * names an offset). A date already past retires the grant at once, so it is taken only with {@code --yes}.
 */
record SunsetDate(Instant at) {

  static SunsetDate parse(String text) {
    String value = text.strip();
    try {
      if (value.length() == 10) {
        return new SunsetDate(LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC));
      }
      try {
        return new SunsetDate(OffsetDateTime.parse(value).toInstant());
      } catch (DateTimeParseException withoutOffset) {
        return new SunsetDate(LocalDateTime.parse(value).toInstant(ZoneOffset.UTC));
      }
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--password-grant-sunset: '" + text + "' is not a date (2027-03-31) or a "
        + "date-time (2027-03-31T12:00:00Z), in UTC");
    }
  }

  /** @throws IllegalArgumentException for a date already past without {@code --yes} */
  SunsetDate confirmed(String clientId, boolean yes, Clock clock) {
    if (!yes && !at.isAfter(clock.instant())) {
      throw new IllegalArgumentException("--password-grant-sunset " + format(at) + " is not in the future: client "
        + clientId + " would lose the password grant at once; add --yes to retire it now");
    }
    return this;
  }

  static String format(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }
}
