package io.tokengate.http;

import io.tokengate.client.PasswordGrantSunset;
import io.vertx.core.http.HttpServerResponse;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * The warning on every password-grant response of a client whose grant has a sunset: {@code Deprecation} (RFC 9745
 * §2: a Structured Field Date, {@code @} and Unix seconds) since when the grant is deprecated, {@code Sunset} (RFC 8594
 * §3: an HTTP-date) when it stops working, and a {@code Link} to the migration documentation if one is configured
 * (RFC 9745 §3: relation type {@code deprecation}).
 */
final class SunsetHeaders {

  static final String DEPRECATION = "Deprecation";
  static final String SUNSET = "Sunset";
  static final String LINK = "Link";

  /** RFC 9110 §5.6.7 IMF-fixdate: always two-digit days and GMT (RFC_1123_DATE_TIME writes "1 Jan"). */
  private static final DateTimeFormatter HTTP_DATE =
    DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  private final Optional<String> link;

  SunsetHeaders(Optional<URI> documentation) {
    this.link = documentation.map(uri -> "<" + uri.toASCIIString() + ">; rel=\"deprecation\"; type=\"text/html\"");
  }

  void put(HttpServerResponse response, PasswordGrantSunset sunset) {
    response.putHeader(DEPRECATION, structuredDate(sunset.deprecatedAt()));
    response.putHeader(SUNSET, httpDate(sunset.sunsetAt()));
    link.ifPresent(value -> response.putHeader(LINK, value));
  }

  /** RFC 9651 §3.3.7: {@code @} followed by an integer of seconds since the epoch. */
  static String structuredDate(Instant instant) {
    return "@" + instant.getEpochSecond();
  }

  static String httpDate(Instant instant) {
    return HTTP_DATE.format(instant);
  }
}
