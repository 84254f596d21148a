package io.tokengate.usage;

import io.tokengate.store.UsageRollups;
import io.tokengate.support.Http;
import io.tokengate.support.Metrics;
import io.tokengate.support.TestClock;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Password-grant usage as two replicas on one database count it: in memory, added to one row per client and UTC day
 * at each flush, with distinct users exact across replicas, closed into a number after the day, purged after the
 * retention.
 */
@ExtendWith(VertxExtension.class)
class PasswordGrantUsageTest {

  private static final String PASSWORD = "correct horse battery staple";
  /** No timer flushes during a test: the test flushes when it means to. */
  private static final Map<String, String> SETTINGS = Map.of(
    "TOKENGATE_PASSWORD_GRANT_USAGE_FLUSH_INTERVAL", "1h",
    "TOKENGATE_PASSWORD_GRANT_USAGE_RETENTION", "3d");

  private final TestClock clock = new TestClock();
  private TestGateway first;
  private TestGateway second;
  private Http firstApi;
  private Http secondApi;
  private Http firstManagement;
  private String appSecret;
  private String jobSecret;

  @BeforeEach
  void start(Vertx vertx) {
    first = TestGateway.start(SETTINGS, clock);
    second = TestGateway.startOn(first.database(), SETTINGS, clock);
    firstApi = new Http(vertx, first.port());
    secondApi = new Http(vertx, second.port());
    firstManagement = new Http(vertx, first.managementPort());
    appSecret = first.createClient("app", Set.of("password", "refresh_token"), List.of(), List.of());
    jobSecret = first.createClient("job", Set.of("client_credentials"), List.of(), List.of());
    first.createUser("alice", PASSWORD);
    first.createUser("bob", PASSWORD);
  }

  @AfterEach
  void stop() {
    if (second != null) {
      second.close();
    }
    first.close();
  }

  private int login(Http api, String username, String password) {
    return api.tokenWithBasic("app", appSecret, form("grant_type", "password", "username", username,
      "password", password)).statusCode();
  }

  private void flushBoth() {
    first.gateway().passwordGrantUsage().flush().await();
    second.gateway().passwordGrantUsage().flush().await();
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  private List<UsageDay> days(String clientId) {
    return new UsageRollups(first.pool()).days(Optional.of(clientId), today().minusDays(30)).await();
  }

  @Test
  void twoReplicasAddUpToOneRowPerClientAndDayWithExactDistinctUsers() {
    assertEquals(200, login(firstApi, "alice", PASSWORD));
    assertEquals(200, login(firstApi, "alice", PASSWORD));
    assertEquals(200, login(secondApi, "alice", PASSWORD));
    assertEquals(200, login(secondApi, "bob", PASSWORD));
    assertEquals(400, login(firstApi, "alice", "wrong password"));
    assertEquals(200, firstApi.tokenWithBasic("job", jobSecret, form("grant_type", "client_credentials"))
      .statusCode());
    first.gateway().passwordGrantUsage().flush().await();
    assertEquals(3, days("app").get(0).successes() + days("app").get(0).failures(), "only the first replica's, so far");

    second.gateway().passwordGrantUsage().flush().await();
    first.gateway().passwordGrantUsage().flush().await();

    List<UsageDay> days = days("app");
    assertEquals(1, days.size(), "one row per client and day: " + days);
    UsageDay day = days.get(0);
    assertEquals(today(), day.day());
    assertEquals(4, day.successes());
    assertEquals(1, day.failures());
    assertEquals(2, day.distinctUsers(), "alice through both replicas is one user");
    // PostgreSQL keeps microseconds.
    assertEquals(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS), day.firstUsedAt());
    assertEquals(day.firstUsedAt(), day.lastUsedAt(), "the clock stood still");
    assertEquals(List.of(), days("job"), "no password grant, no usage");
  }

  @Test
  void aDayClosesIntoItsDistinctUserCountAndIsPurgedAfterTheRetention() {
    LocalDate firstDay = today();
    assertEquals(200, login(firstApi, "alice", PASSWORD));
    assertEquals(200, login(secondApi, "bob", PASSWORD));
    flushBoth();
    assertEquals("2", first.queryString("SELECT count(*) FROM password_grant_user_days WHERE day = $1", firstDay));

    clock.advance(Duration.ofDays(2));
    assertEquals(200, login(firstApi, "alice", PASSWORD));
    flushBoth();

    assertEquals("2", first.queryString("SELECT distinct_users FROM password_grant_usage WHERE day = $1", firstDay));
    assertEquals("0", first.queryString("SELECT count(*) FROM password_grant_user_days WHERE day = $1", firstDay),
      "a closed day keeps a number, not its users");
    assertEquals(List.of(2L, 1L), days("app").stream().map(UsageDay::distinctUsers).toList());

    clock.advance(Duration.ofDays(2));
    first.gateway().passwordGrantUsage().flush().await();

    assertEquals(List.of(firstDay.plusDays(2)), days("app").stream().map(UsageDay::day).toList(),
      "the first day is older than password_grant.usage_retention (3d)");
  }

  @Test
  void aReplicaThatStopsFlushesWhatItCounted() {
    assertEquals(200, login(secondApi, "alice", PASSWORD));
    assertEquals(400, login(secondApi, "alice", "wrong password"));

    second.close();
    second = null;

    UsageDay day = days("app").get(0);
    assertEquals(1, day.successes());
    assertEquals(1, day.failures());
  }

  @Test
  void theMetricCountsPasswordGrantsPerClientThatHasTheGrant() {
    assertEquals(200, login(firstApi, "alice", PASSWORD));
    assertEquals(400, login(firstApi, "alice", "wrong password"));
    assertEquals(200, firstApi.tokenWithBasic("job", jobSecret, form("grant_type", "client_credentials"))
      .statusCode());

    assertEquals(1, Metrics.value(firstManagement, "tokengate_password_grants_total{client=\"app\",outcome=\"success\"}"));
    assertEquals(1, Metrics.value(firstManagement, "tokengate_password_grants_total{client=\"app\",outcome=\"failure\"}"));
    assertFalse(firstManagement.get("/metrics").bodyAsString().contains("client=\"job\""));
  }
}
