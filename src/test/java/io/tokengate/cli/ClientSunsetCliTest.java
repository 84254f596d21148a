package io.tokengate.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's side of retiring the password grant: a sunset on create and update (and the bad input around it),
 * update with create's options, the usage table and the migration report.
 */
class ClientSunsetCliTest {

  @TempDir
  static Path directory;

  private static CliSession cli;

  @BeforeAll
  static void setUp() {
    cli = new CliSession(directory);
  }

  @AfterAll
  static void tearDown() {
    cli.close();
  }

  @Test
  void aFutureSunsetIsAnnouncedAndShown() {
    CliSession.Run created = cli.run("client", "create", "announced", "--grants", "password",
      "--password-grant-sunset", "2099-03-31");

    assertEquals(0, created.exitCode(), created.err());
    assertTrue(created.out().contains("password grant of announced: deprecated since "), created.out());
    assertTrue(created.out().contains("refused from 2099-03-31T00:00:00Z"), created.out());
    assertTrue(cli.run("client", "show", "announced").out()
      .contains("password_grant_sunset:       2099-03-31T00:00:00Z (deprecated since "));
  }

  @Test
  void badSunsetInputIsOneLineAndUsageStatus() {
    CliSession.Run malformed = cli.run("client", "create", "malformed", "--grants", "password",
      "--password-grant-sunset", "31/03/2027");
    CliSession.Run noPasswordGrant = cli.run("client", "create", "service", "--grants", "client_credentials",
      "--password-grant-sunset", "2099-01-01");
    CliSession.Run past = cli.run("client", "create", "past", "--grants", "password",
      "--password-grant-sunset", "2020-01-01T12:00:00Z");

    assertEquals(2, malformed.exitCode());
    assertEquals("tokengate: --password-grant-sunset: '31/03/2027' is not a date (2027-03-31) or a date-time "
      + "(2027-03-31T12:00:00Z), in UTC", malformed.err().strip());
    assertEquals(2, noPasswordGrant.exitCode());
    assertEquals("tokengate: client service does not have the password grant: there is nothing to give a sunset",
      noPasswordGrant.err().strip());
    assertEquals(2, past.exitCode());
    assertEquals("tokengate: --password-grant-sunset 2020-01-01T12:00:00Z is not in the future: client past would "
      + "lose the password grant at once; add --yes to retire it now", past.err().strip());
    for (String id : List.of("malformed", "service", "past")) {
      assertNull(cli.column("SELECT client_id FROM clients WHERE client_id = $1", id), id + " was not created");
    }
  }

  @Test
  void aPastSunsetWithYesRetiresTheGrantAtOnceAndSaysSo() {
    CliSession.Run retired = cli.run("client", "create", "retired-now", "--grants", "password",
      "--password-grant-sunset", "2020-01-01", "--yes");

    assertEquals(0, retired.exitCode(), retired.err());
    assertTrue(retired.out().contains("password grant of retired-now retired as of 2020-01-01T00:00:00Z: refused "
      + "from now on"), retired.out());
    assertEquals("2020-01-01 00:00:00+00", cli.column("SELECT password_grant_deprecated_at::text FROM clients "
      + "WHERE client_id = $1", "retired-now"), "never deprecated after its sunset");
  }

  @Test
  void updateChangesWhatItIsGivenClearsWithNoAndKeepsTheSecret() {
    cli.run("client", "create", "legacy", "--grants", "password,refresh_token", "--scopes", "read write",
      "--rate-limit", "5");
    String secretHash = cli.column("SELECT secret_hash FROM clients WHERE client_id = $1", "legacy");

    CliSession.Run changed = cli.run("client", "update", "legacy", "--scopes", "read", "--default-scopes", "read",
      "--otp-policy", "required", "--require-dpop", "--access-token-lifetime", "10m");
    CliSession.Run cleared = cli.run("client", "update", "legacy", "--no-rate-limit", "--no-require-dpop",
      "--no-access-token-lifetime");

    assertEquals(0, changed.exitCode(), changed.err());
    assertEquals("updated client legacy (replicas notice within clients.cache_ttl)", changed.out().strip());
    assertEquals(0, cleared.exitCode(), cleared.err());
    assertEquals("{read}", cli.column("SELECT scopes::text FROM clients WHERE client_id = $1", "legacy"));
    assertEquals("{read}", cli.column("SELECT default_scopes::text FROM clients WHERE client_id = $1", "legacy"));
    assertEquals("required", cli.column("SELECT otp_policy FROM clients WHERE client_id = $1", "legacy"));
    assertEquals("false", cli.column("SELECT require_dpop::text FROM clients WHERE client_id = $1", "legacy"));
    assertNull(cli.column("SELECT rate_limit_per_second FROM clients WHERE client_id = $1", "legacy"));
    assertNull(cli.column("SELECT access_token_ttl_seconds FROM clients WHERE client_id = $1", "legacy"));
    assertEquals("{password,refresh_token}", cli.column("SELECT grant_types::text FROM clients WHERE client_id = $1",
      "legacy"), "not named, not changed");
    assertEquals(secretHash, cli.column("SELECT secret_hash FROM clients WHERE client_id = $1", "legacy"));
  }

  @Test
  void movingASunsetKeepsTheDeprecationDateAndClearingItEndsTheWarning() {
    cli.run("client", "create", "moving", "--grants", "password");
    CliSession.Run announced = cli.run("client", "update", "moving", "--password-grant-sunset", "2099-01-01");
    String deprecatedAt = cli.column("SELECT password_grant_deprecated_at::text FROM clients WHERE client_id = $1",
      "moving");
    CliSession.Run moved = cli.run("client", "update", "moving", "--password-grant-sunset", "2099-06-30T18:00:00");

    assertEquals(0, announced.exitCode(), announced.err());
    assertNotNull(deprecatedAt);
    assertEquals(0, moved.exitCode(), moved.err());
    assertTrue(moved.out().contains("refused from 2099-06-30T18:00:00Z"), moved.out());
    assertEquals(deprecatedAt, cli.column("SELECT password_grant_deprecated_at::text FROM clients WHERE client_id = $1",
      "moving"), "the client was first warned then");

    CliSession.Run cleared = cli.run("client", "update", "moving", "--no-password-grant-sunset");
    assertEquals(0, cleared.exitCode(), cleared.err());
    assertTrue(cleared.out().contains("password grant of moving: no sunset any more"), cleared.out());
    assertNull(cli.column("SELECT password_grant_sunset_at FROM clients WHERE client_id = $1", "moving"));
    assertNull(cli.column("SELECT password_grant_deprecated_at FROM clients WHERE client_id = $1", "moving"));
  }

  @Test
  void badUpdatesAreRefusedWithOneLine() {
    cli.run("client", "create", "stubborn", "--grants", "password", "--password-grant-sunset", "2099-01-01");

    CliSession.Run nothing = cli.run("client", "update", "stubborn");
    CliSession.Run both = cli.run("client", "update", "stubborn", "--password-grant-sunset", "2099-02-01",
      "--no-password-grant-sunset");
    CliSession.Run lostGrant = cli.run("client", "update", "stubborn", "--grants", "client_credentials",
      "--password-grant-sunset", "2099-02-01");
    CliSession.Run unknown = cli.run("client", "update", "nobody", "--scopes", "read");

    assertEquals(2, nothing.exitCode());
    assertEquals("tokengate: nothing to change: give at least one option (see client update --help)",
      nothing.err().strip());
    assertEquals(2, both.exitCode());
    assertEquals("tokengate: give either --password-grant-sunset or --no-password-grant-sunset, not both",
      both.err().strip());
    assertEquals(2, lostGrant.exitCode());
    assertEquals(1, unknown.exitCode());
    assertEquals("tokengate: no client nobody", unknown.err().strip());
    assertEquals("2099-01-01 00:00:00+00", cli.column("SELECT password_grant_sunset_at::text FROM clients "
      + "WHERE client_id = $1", "stubborn"), "a refused update changes nothing");

    CliSession.Run dropped = cli.run("client", "update", "stubborn", "--grants", "client_credentials");
    assertEquals(0, dropped.exitCode(), dropped.err());
    assertNull(cli.column("SELECT password_grant_sunset_at FROM clients WHERE client_id = $1", "stubborn"),
      "without the grant there is nothing left to retire");
  }

  @Test
  void usageIsPrintedPerClientAndDayAndTheReportPutsBlockersFirst() {
    cli.run("client", "create", "report-blocker", "--grants", "password");
    cli.run("client", "create", "report-leaving", "--grants", "password", "--password-grant-sunset", "2099-01-01");
    cli.run("client", "create", "report-idle", "--grants", "password");
    cli.run("client", "create", "report-retired", "--grants", "password", "--password-grant-sunset", "2020-01-01",
      "--yes");
    cli.run("client", "create", "report-service", "--grants", "client_credentials");
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    addUsage("report-blocker", today, 40, 2, now);
    addUsage("report-blocker", today.minusDays(1), 10, 0, now.minusDays(1));
    addUsage("report-leaving", today, 900, 9, now);
    addUsage("report-retired", today, 0, 30, now);
    cli.sql("INSERT INTO password_grant_user_days VALUES ($1, $2, gen_random_uuid()), ($1, $2, gen_random_uuid())",
      "report-blocker", today);

    CliSession.Run report = cli.run("client", "usage", "--password-grant");
    CliSession.Run days = cli.run("client", "usage", "--client", "report-blocker", "--since", "7d", "--output", "json");

    assertEquals(0, report.exitCode(), report.err());
    List<String> order = report.out().lines().map(line -> line.split(" +")[0])
      .filter(id -> id.startsWith("report-")).toList();
    assertEquals(List.of("report-blocker", "report-leaving", "report-idle", "report-retired"), order, report.out());
    assertTrue(report.out().lines().anyMatch(line -> line.startsWith("report-blocker ")
      && line.contains("in use, no sunset") && line.contains(" 50 ")), report.out());
    assertEquals(0, days.exitCode(), days.err());
    JsonArray rows = new JsonArray(days.out());
    assertEquals(2, rows.size());
    JsonObject latest = rows.getJsonObject(1);
    assertEquals(today.toString(), latest.getString("day"));
    assertEquals(40, latest.getLong("successes"));
    assertEquals(2, latest.getLong("failures"));
    assertEquals(2, latest.getLong("distinct_users"));

    JsonArray json = new JsonArray(cli.run("client", "usage", "--password-grant", "--output", "json").out());
    List<String> standings = IntStream.range(0, json.size()).mapToObj(json::getJsonObject)
      .filter(entry -> entry.getString("client_id").startsWith("report-"))
      .map(entry -> entry.getString("standing")).toList();
    assertEquals(List.of("in_use_without_sunset", "in_use_until_sunset", "idle_without_sunset", "retired"), standings);
    assertFalse(json.encode().contains("report-service"), "only clients with the password grant");
  }

  private static void addUsage(String clientId, LocalDate day, long successes, long failures, OffsetDateTime at) {
    cli.sql("INSERT INTO password_grant_usage (client_id, day, successes, failures, first_used_at, last_used_at) "
      + "VALUES ($1, $2, $3, $4, $5, $5)", clientId, day, successes, failures, at);
  }
}
