package io.tokengate.cli;

import io.tokengate.client.Client;
import io.tokengate.client.PasswordGrantSunset;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;

/** What the operator is told when a client's password-grant sunset is set, moved or cleared. */
final class SunsetNotice {

  private SunsetNotice() {
  }

  static void print(PrintWriter out, Client client, Optional<PasswordGrantSunset> before, Clock clock) {
    Optional<PasswordGrantSunset> after = client.passwordGrantSunset();
    if (after.equals(before)) {
      return;
    }
    String id = client.clientId();
    if (after.isEmpty()) {
      out.println("password grant of " + id + ": no sunset any more (no Deprecation and Sunset headers)");
    } else if (after.get().reached(clock.instant())) {
      out.println("password grant of " + id + " retired as of " + SunsetDate.format(after.get().sunsetAt())
        + ": refused from now on (by every replica within clients.cache_ttl); refresh tokens it already issued "
        + "keep working until they expire");
    } else {
      out.println("password grant of " + id + ": deprecated since " + SunsetDate.format(after.get().deprecatedAt())
        + ", refused from " + SunsetDate.format(after.get().sunsetAt()) + "; until then every password-grant "
        + "answer carries Deprecation and Sunset headers");
    }
  }
}
