package io.tokengate.user;

import io.tokengate.oauth.OAuthException;
import io.tokengate.store.UserStore;
import io.tokengate.store.UsernameKeyStore;
import io.tokengate.support.Http;
import io.tokengate.support.Metrics;
import io.tokengate.support.TestClock;
import io.tokengate.support.TestGateway;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Lockout per username after consecutive failures, the same for users who exist and who do not, shared by every
 * replica through PostgreSQL, with locks that grow and expire.
 */
@ExtendWith(VertxExtension.class)
class LockoutTest {

  private static final String PASSWORD = "correct horse battery staple";
  private static final Map<String, String> POLICY = Map.of(
    "TOKENGATE_LOCKOUT_THRESHOLD", "3",
    "TOKENGATE_LOCKOUT_BASE_DELAY", "1m",
    "TOKENGATE_LOCKOUT_MAX_DELAY", "4m",
    "TOKENGATE_LOCKOUT_RESET_AFTER", "1h");

  private final TestClock clock = new TestClock();
  private TestGateway gateway;
  private Http api;
  private Http management;
  private String secret;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = TestGateway.start(POLICY, clock);
    api = new Http(vertx, gateway.port());
    management = new Http(vertx, gateway.managementPort());
    secret = gateway.createClient("app", Set.of("password", "refresh_token"), List.of(), List.of());
    gateway.createUser("alice", PASSWORD);
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private HttpResponse<Buffer> login(Http http, String username, String password) {
    return http.tokenWithBasic("app", secret, form("grant_type", "password", "username", username,
      "password", password));
  }

  private double hashes() {
    return Metrics.value(management, "tokengate_hashing_duration_seconds_count");
  }

  @Test
  void anExistingAndAnUnknownUsernameLockAlikeAndNoHashIsSpentWhileLocked() {
    for (String username : List.of("alice", "nobody")) {
      for (int i = 0; i < 3; i++) {
        assertEquals(400, login(api, username, "wrong").statusCode());
      }
    }
    double before = hashes();
    HttpResponse<Buffer> alice = login(api, "alice", PASSWORD);
    HttpResponse<Buffer> nobody = login(api, "nobody", PASSWORD);

    assertEquals(400, alice.statusCode());
    assertEquals(alice.bodyAsString(), nobody.bodyAsString(), "nothing tells the two apart");
    assertEquals("{\"error\":\"invalid_grant\",\"error_description\":\"the username or password is incorrect\"}",
      alice.bodyAsString(), "the same answer as a wrong password");
    assertEquals(before, hashes(), "no hash while locked");
  }

  @Test
  void theLockExpiresGrowsWithFurtherFailuresAndASuccessResetsTheCount() {
    for (int i = 0; i < 3; i++) {
      login(api, "alice", "wrong");
    }
    assertEquals(400, login(api, "alice", PASSWORD).statusCode(), "locked for a minute");
    clock.advance(Duration.ofSeconds(61));
    assertEquals(400, login(api, "alice", "wrong").statusCode(), "the fourth failure: two minutes");
    clock.advance(Duration.ofSeconds(90));
    assertEquals(400, login(api, "alice", PASSWORD).statusCode(), "still locked after 90 s");
    clock.advance(Duration.ofSeconds(31));
    assertEquals(200, login(api, "alice", PASSWORD).statusCode(), "free after two minutes");

    // The success started the count again: two failures do not lock.
    login(api, "alice", "wrong");
    login(api, "alice", "wrong");
    assertEquals(200, login(api, "alice", PASSWORD).statusCode());
  }

  @Test
  void aQuietHourForgetsEarlierFailures() {
    login(api, "alice", "wrong");
    login(api, "alice", "wrong");
    clock.advance(Duration.ofMinutes(61));
    login(api, "alice", "wrong");
    assertEquals(200, login(api, "alice", PASSWORD).statusCode(), "one failure since the quiet period");
  }

  @Test
  void aLockedUsersRefreshTokensStopWorking() {
    String refreshToken = login(api, "alice", PASSWORD).bodyAsJsonObject().getString("refresh_token");
    for (int i = 0; i < 3; i++) {
      login(api, "alice", "wrong");
    }
    HttpResponse<Buffer> refused = api.tokenWithBasic("app", secret,
      form("grant_type", "refresh_token", "refresh_token", refreshToken));
    assertEquals(400, refused.statusCode());
    assertEquals("invalid_grant", refused.bodyAsJsonObject().getString("error"));

    clock.advance(Duration.ofSeconds(61));
    assertEquals(200, api.tokenWithBasic("app", secret,
      form("grant_type", "refresh_token", "refresh_token", refreshToken)).statusCode(), "nothing was revoked");
  }

  /** The authenticator itself, on the gateway's database and clock: its failures carry the audit reason. */
  private UserAuthenticator authenticator(Vertx vertx) {
    UserStore store = new UserStore(gateway.pool());
    PasswordHashing hashing = new PasswordHashing(new HashingPool(vertx, 1, 8, new SimpleMeterRegistry()),
      Argon2Hasher.of(gateway.config().hashing()));
    String decoy = hashing.hash("a decoy nobody knows").await();
    return new UserAuthenticator(
      java.util.List.of(new LocalUserDirectory(store, hashing, decoy, new SimpleMeterRegistry())), hashing, decoy,
      new Lockout(new io.tokengate.store.LoginFailuresTable(gateway.pool()), gateway.config().lockout(), clock,
        UsernameKeyStore.load(gateway.pool(), Optional.empty(), io.tokengate.crypto.Keyring.empty()).await()), new SecondFactor(store, Optional.empty(), clock),
      new SimpleMeterRegistry());
  }

  @Test
  void aLockedUsernameIsAuditedAsLockedWhetherOrNotTheUserExists(Vertx vertx) {
    UserAuthenticator users = authenticator(vertx);
    for (String username : List.of("alice", "nobody")) {
      for (int i = 0; i < 3; i++) {
        login(api, username, "wrong");
      }
      OAuthException refused = assertThrows(OAuthException.class,
        () -> users.authenticate(username, PASSWORD, Optional.empty(), OtpPolicy.IF_ENROLLED).await());
      assertEquals("locked", refused.reason(), username);
      assertEquals("the username or password is incorrect", refused.description(), username);
    }
  }

  @Test
  void withTheLockoutOffFailuresNeitherCountNorLock(Vertx vertx) {
    try (TestGateway unlimited = TestGateway.startOn(gateway.database(),
      Map.of("TOKENGATE_LOCKOUT_THRESHOLD", "0"), clock)) {
      Http off = new Http(vertx, unlimited.port());
      for (int i = 0; i < 4; i++) {
        assertEquals(400, login(off, "alice", "wrong").statusCode());
      }
      assertEquals("0", gateway.queryString("SELECT count(*) FROM login_failures"), "nothing counted");
      assertEquals(200, login(off, "alice", PASSWORD).statusCode());

      for (int i = 0; i < 3; i++) {
        login(api, "alice", "wrong");
      }
      assertEquals(400, login(api, "alice", PASSWORD).statusCode(), "locked where the lockout is on");
      assertEquals(200, login(off, "alice", PASSWORD).statusCode(), "a replica without a lockout ignores the lock");
    }
  }

  @Test
  void replicasShareOneCount(Vertx vertx) {
    try (TestGateway replica = TestGateway.startOn(gateway.database(), POLICY, clock)) {
      Http other = new Http(vertx, replica.port());
      login(api, "alice", "wrong");
      login(other, "alice", "wrong");
      login(api, "alice", "wrong");
      assertEquals(400, login(other, "alice", PASSWORD).statusCode(), "locked on the replica too");
      assertEquals(400, login(api, "alice", PASSWORD).statusCode());
    }
  }
}
