package io.tokengate.http;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The header values' formats, on dates where a lax formatter goes wrong. */
class SunsetHeadersTest {

  @Test
  void sunsetIsAnImfFixdateWithATwoDigitDay() {
    // RFC 8594 §3 and RFC 9110 §5.6.7; java.time's RFC_1123_DATE_TIME would write "Fri, 1 Jan 2027".
    assertEquals("Fri, 01 Jan 2027 00:00:00 GMT", SunsetHeaders.httpDate(Instant.parse("2027-01-01T00:00:00Z")));
    assertEquals("Wed, 31 Mar 2027 13:05:09 GMT", SunsetHeaders.httpDate(Instant.parse("2027-03-31T13:05:09.750Z")));
  }

  @Test
  void deprecationIsAStructuredFieldDateInWholeSeconds() {
    // RFC 9745 §2.1's own example: Deprecation: @1688169599
    assertEquals("@1688169599", SunsetHeaders.structuredDate(Instant.parse("2023-06-30T23:59:59.900Z")));
  }
}
