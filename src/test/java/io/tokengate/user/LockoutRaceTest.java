package io.tokengate.user;

import io.tokengate.support.Http;
import io.tokengate.support.Metrics;
import io.tokengate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tokengate.support.Http.basic;
import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parallel guesses cannot outrun the lockout: each attempt reserves its place in the username's count, atomically
 * across replicas, before its hash — so at most {@code threshold} guesses per window reach the hash.
 */
@ExtendWith(VertxExtension.class)
class LockoutRaceTest {

  private static final String PASSWORD = "correct horse battery staple";
  private static final Map<String, String> POLICY = Map.of(
    "TOKENGATE_LOCKOUT_THRESHOLD", "3",
    "TOKENGATE_LOCKOUT_BASE_DELAY", "1m",
    "TOKENGATE_LOCKOUT_MAX_DELAY", "4m",
    "TOKENGATE_LOCKOUT_RESET_AFTER", "1h",
    "TOKENGATE_HASHING_QUEUE_SIZE", "100");

  private TestGateway gateway;
  private TestGateway replica;
  private final List<Http> apis = new ArrayList<>();
  private final List<Http> managements = new ArrayList<>();
  private String secret;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = TestGateway.start(POLICY);
    replica = TestGateway.startOn(gateway.database(), POLICY);
    for (TestGateway each : List.of(gateway, replica)) {
      apis.add(new Http(vertx, each.port()));
      managements.add(new Http(vertx, each.managementPort()));
    }
    secret = gateway.createClient("app", Set.of("password"), List.of(), List.of());
    gateway.createUser("alice", PASSWORD);
  }

  @AfterEach
  void stop() {
    replica.close();
    gateway.close();
  }

  @Test
  void fiftyParallelWrongPasswordsOnTwoReplicasReachTheHashAtMostThresholdTimes() {
    double before = hashes();

    List<HttpResponse<Buffer>> answers = parallel(50, "wrong");

    assertTrue(hashes() - before <= 3, "hashes computed: " + (hashes() - before));
    for (HttpResponse<Buffer> answer : answers) {
      assertTrue(answer.statusCode() == 400 || answer.statusCode() == 503, answer.bodyAsString());
    }
    assertEquals(400, login(apis.get(0), PASSWORD).statusCode(), "locked: the right password is refused");
    assertEquals(400, login(apis.get(1), PASSWORD).statusCode());
  }

  @Test
  void parallelCorrectLoginsOfOneAccountKeepWorking() {
    for (int round = 0; round < 5; round++) {
      List<HttpResponse<Buffer>> answers = parallel(3, PASSWORD);
      for (HttpResponse<Buffer> answer : answers) {
        assertEquals(200, answer.statusCode(), answer.bodyAsString());
      }
    }
    List<HttpResponse<Buffer>> crowd = parallel(12, PASSWORD);
    for (HttpResponse<Buffer> answer : crowd) {
      assertTrue(answer.statusCode() == 200 || answer.statusCode() == 503 && answer.getHeader("Retry-After") != null,
        "beyond the threshold in flight at once: retry, never a lock: " + answer.bodyAsString());
    }
    assertEquals(200, login(apis.get(0), PASSWORD).statusCode(), "no lock, no failure counted");
    assertEquals("0", gateway.queryString("SELECT coalesce(sum(failures), 0) FROM login_failures"));
  }

  /**
   * A success with nothing to clear costs one write, its reservation (counted by a trigger on the table): its place
   * goes back with the replica's next reservation of the username. The places still bound the guesses afterwards.
   */
  @Test
  void aCleanSuccessCostsOneWriteAndTheThresholdStillHolds() {
    gateway.sql("CREATE TABLE lockout_writes (at timestamptz)");
    gateway.sql("""
        CREATE FUNCTION count_lockout_write() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO lockout_writes VALUES (clock_timestamp()); RETURN NEW; END $$""");
    gateway.sql("CREATE TRIGGER lockout_writes AFTER INSERT OR UPDATE ON login_failures "
      + "FOR EACH ROW EXECUTE FUNCTION count_lockout_write()");

    for (int i = 0; i < 5; i++) {
      assertEquals(200, login(apis.get(0), PASSWORD).statusCode());
    }
    assertEquals("5", gateway.queryString("SELECT count(*) FROM lockout_writes"), "one write per success");
    assertEquals("1", gateway.queryString("SELECT in_flight FROM login_failures"),
      "the last success's place, given back by the next reservation");

    double before = hashes();
    List<HttpResponse<Buffer>> answers = parallel(50, "wrong");

    assertTrue(hashes() - before <= 3, "hashes computed: " + (hashes() - before));
    for (HttpResponse<Buffer> answer : answers) {
      assertTrue(answer.statusCode() == 400 || answer.statusCode() == 503, answer.bodyAsString());
    }
    assertEquals(400, login(apis.get(0), PASSWORD).statusCode(), "locked: the right password is refused");
  }

  private List<HttpResponse<Buffer>> parallel(int count, String password) {
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sent.add(apis.get(i % 2).client().post("/oauth2/token").putHeader("Authorization", basic("app", secret))
        .sendForm(form("grant_type", "password", "username", "alice", "password", password)));
    }
    Future.join(sent).await();
    return sent.stream().map(Future::result).toList();
  }

  private HttpResponse<Buffer> login(Http http, String password) {
    return http.tokenWithBasic("app", secret, form("grant_type", "password", "username", "alice",
      "password", password));
  }

  private double hashes() {
    return managements.stream().mapToDouble(m -> Metrics.value(m, "tokengate_hashing_duration_seconds_count")).sum();
  }
}
