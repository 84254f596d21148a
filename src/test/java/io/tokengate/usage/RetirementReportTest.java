package io.tokengate.usage;

import io.tokengate.client.Client;
import io.tokengate.client.ClientKeys;
import io.tokengate.client.ClientRegistration;
import io.tokengate.client.PasswordGrantSunset;
import io.tokengate.user.OtpPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The migration report's order: the clients that keep the password grant alive first. */
class RetirementReportTest {

  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  private static Client client(String id, Set<String> grants, Optional<Duration> sunsetIn) {
    return new Client(id, null, EnumSet.copyOf(ClientRegistration.DEFAULT_AUTH_METHODS), grants, List.of(), List.of(),
      Optional.empty(), Optional.empty(), Optional.empty(), true, ClientKeys.NONE, false, false, OtpPolicy.IF_ENROLLED,
      Optional.empty(), sunsetIn.map(in -> new PasswordGrantSunset(NOW.minus(Duration.ofDays(90)), NOW.plus(in))));
  }

  private static UsageTotal used(String id, long successes, Duration ago) {
    return new UsageTotal(id, successes, 1, NOW.minus(ago));
  }

  @Test
  void blockersComeFirstThenLaterSunsetsThenIdleClientsThenRetiredOnes() {
    List<Client> clients = List.of(
      client("retired", Set.of("password"), Optional.of(Duration.ofDays(-3))),
      client("idle-scheduled", Set.of("password"), Optional.of(Duration.ofDays(30))),
      client("idle", Set.of("password"), Optional.empty()),
      client("small-legacy", Set.of("password"), Optional.empty()),
      client("big-legacy", Set.of("password", "refresh_token"), Optional.empty()),
      client("leaving-soon", Set.of("password"), Optional.of(Duration.ofDays(7))),
      client("leaving-late", Set.of("password"), Optional.of(Duration.ofDays(60))),
      client("service", Set.of("client_credentials"), Optional.empty()));
    Map<String, UsageTotal> totals = Map.of(
      "retired", used("retired", 0, Duration.ofDays(3)),
      "idle", used("idle", 0, Duration.ofDays(200)),
      "small-legacy", used("small-legacy", 10, Duration.ofHours(1)),
      "big-legacy", used("big-legacy", 5000, Duration.ofMinutes(1)),
      "leaving-soon", used("leaving-soon", 9000, Duration.ofMinutes(1)),
      "leaving-late", used("leaving-late", 3, Duration.ofDays(1)),
      "service", used("service", 100, Duration.ofMinutes(1)));

    List<RetirementReport.Entry> report = RetirementReport.of(clients, totals, NOW);

    assertEquals(List.of("big-legacy", "small-legacy", "leaving-late", "leaving-soon", "idle", "idle-scheduled",
      "retired"), report.stream().map(RetirementReport.Entry::clientId).toList());
    assertEquals(List.of(RetirementReport.Standing.IN_USE_WITHOUT_SUNSET, RetirementReport.Standing.IN_USE_WITHOUT_SUNSET,
      RetirementReport.Standing.IN_USE_UNTIL_SUNSET, RetirementReport.Standing.IN_USE_UNTIL_SUNSET,
      RetirementReport.Standing.IDLE_WITHOUT_SUNSET, RetirementReport.Standing.IDLE_UNTIL_SUNSET,
      RetirementReport.Standing.RETIRED), report.stream().map(RetirementReport.Entry::standing).toList());
    assertEquals(Optional.empty(), report.get(5).lastUsedAt(), "never used");
  }
}
