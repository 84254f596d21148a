package io.tokengate.cli;

import io.tokengate.config.Durations;
import io.tokengate.usage.RetirementReport;
import io.tokengate.usage.UsageDay;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * {@code client usage}: password grants per client and UTC day as the replicas have flushed them; with
 * {@code --password-grant}, the migration report, the clients that keep the grant alive first.
 */
@Command(name = "usage", description = {
  "Password grants per client and UTC day: successes, failures, distinct users, first and last use. Replicas add "
    + "their counts every password_grant.usage_flush_interval.",
  "With --password-grant: every client that has the grant, its sunset, last use and volume, blockers first."})
final class ClientUsageCommand extends AdminCommand {

  @Option(names = "--client", paramLabel = "CLIENT_ID", description = "One client only.")
  String clientId;

  @Option(names = "--since", paramLabel = "DURATION", description = "The days of this period, e.g. 7d (default 30d).")
  String since = "30d";

  @Option(names = "--password-grant", description = "The migration report: who still uses the password grant.")
  boolean report;

  @Option(names = "--output", paramLabel = "FORMAT", description = "text (default) or json.")
  String output = "text";

  @Override
  void readInput() {
    if (!output.equals("text") && !output.equals("json")) {
      throw new IllegalArgumentException("--output must be text or json");
    }
  }

  @Override
  void run(AdminContext admin, PrintWriter out) {
    Instant now = admin.clock().instant();
    LocalDate first = LocalDate.ofInstant(now.minus(Durations.parse(since)), ZoneOffset.UTC);
    if (report) {
      List<RetirementReport.Entry> entries = RetirementReport.of(
        admin.clientStore().list().await().stream()
          .filter(client -> clientId == null || client.clientId().equals(clientId)).toList(),
        admin.usage().totals(first).await(), now);
      if (output.equals("json")) {
        out.println(new JsonArray(entries.stream().map(entry -> json(entry, first)).toList()).encodePrettily());
      } else {
        printReport(out, entries, first);
      }
      return;
    }
    List<UsageDay> days = admin.usage().days(Optional.ofNullable(clientId), first).await();
    if (output.equals("json")) {
      out.println(new JsonArray(days.stream().map(ClientUsageCommand::json).toList()).encodePrettily());
      return;
    }
    String format = "%-32s %-10s %10s %10s %8s %-20s %-20s%n";
    out.printf(format, "CLIENT_ID", "DAY", "SUCCESSES", "FAILURES", "USERS", "FIRST_USE", "LAST_USE");
    for (UsageDay day : days) {
      out.printf(format, day.clientId(), day.day(), day.successes(), day.failures(), day.distinctUsers(),
        SunsetDate.format(day.firstUsedAt()), SunsetDate.format(day.lastUsedAt()));
    }
  }

  private static void printReport(PrintWriter out, List<RetirementReport.Entry> entries, LocalDate first) {
    out.println("clients with the password grant, those that keep it alive first (volume since " + first + "):");
    String format = "%-32s %-32s %-20s %-20s %10s %10s%n";
    out.printf(format, "CLIENT_ID", "STANDING", "SUNSET", "LAST_USE", "SUCCESSES", "FAILURES");
    for (RetirementReport.Entry entry : entries) {
      out.printf(format, entry.clientId(), entry.standing().description(),
        entry.sunset().map(sunset -> SunsetDate.format(sunset.sunsetAt())).orElse("none"),
        entry.lastUsedAt().map(SunsetDate::format).orElse("never"), entry.successes(), entry.failures());
    }
  }

  private static JsonObject json(UsageDay day) {
    return new JsonObject()
      .put("client_id", day.clientId())
      .put("day", day.day().toString())
      .put("successes", day.successes())
      .put("failures", day.failures())
      .put("distinct_users", day.distinctUsers())
      .put("first_use", SunsetDate.format(day.firstUsedAt()))
      .put("last_use", SunsetDate.format(day.lastUsedAt()));
  }

  private static JsonObject json(RetirementReport.Entry entry, LocalDate first) {
    return new JsonObject()
      .put("client_id", entry.clientId())
      .put("standing", entry.standing().name().toLowerCase(java.util.Locale.ROOT))
      .put("password_grant_sunset", entry.sunset().map(sunset -> SunsetDate.format(sunset.sunsetAt())).orElse(null))
      .put("deprecated_since", entry.sunset().map(sunset -> SunsetDate.format(sunset.deprecatedAt())).orElse(null))
      .put("last_use", entry.lastUsedAt().map(SunsetDate::format).orElse(null))
      .put("since", first.toString())
      .put("successes", entry.successes())
      .put("failures", entry.failures());
  }
}
