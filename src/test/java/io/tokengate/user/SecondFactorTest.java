package io.tokengate.user;

import io.tokengate.client.ClientRegistration;
import io.tokengate.support.Http;
import io.tokengate.support.TestClock;
import io.tokengate.support.TestGateway;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A TOTP code inside the password grant, as each client policy asks, used once, failures counted for lockout. */
@ExtendWith(VertxExtension.class)
class SecondFactorTest {

  private static final String PASSWORD = "correct horse battery staple";
  private static final byte[] KEY = new byte[32];

  private static final TestClock CLOCK = new TestClock();
  private static TestGateway gateway;
  private static Http api;
  private static final Map<String, String> SECRETS = new java.util.HashMap<>();
  private static byte[] aliceSecret;
  private static final Totp TOTP = new Totp();

  @BeforeAll
  static void start(Vertx vertx) {
    KEY[0] = 7;
    gateway = TestGateway.start(Map.of("TOKENGATE_TOTP_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(KEY),
      "TOKENGATE_LOCKOUT_THRESHOLD", "3"), CLOCK);
    api = new Http(vertx, gateway.port());
    for (OtpPolicy policy : OtpPolicy.values()) {
      SECRETS.put(policy.value(), gateway.register(new ClientRegistration.Request(policy.value(), Set.of("password"),
        List.of(), List.of(), Optional.empty(), Optional.empty()).withPolicies(policy, Optional.empty()))
        .generatedSecret().orElseThrow());
    }
    gateway.createUser("alice", PASSWORD);
    gateway.createUser("bob", PASSWORD);
    aliceSecret = TotpSecrets.newSecret();
    UUID alice = UUID.fromString(gateway.queryString("SELECT id::text FROM users WHERE username = 'alice'"));
    gateway.sql("UPDATE users SET totp_secret_sealed = $2 WHERE id = $1", alice,
      io.vertx.core.buffer.Buffer.buffer(legacySealer(KEY).seal(alice, aliceSecret)));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static HttpResponse<Buffer> login(String client, String username, String... more) {
    MultiMap grant = form("grant_type", "password", "username", username, "password", PASSWORD);
    for (int i = 0; i < more.length; i += 2) {
      grant.add(more[i], more[i + 1]);
    }
    return api.tokenWithBasic(client, SECRETS.get(client), grant);
  }

  private static String codeNow() {
    return TOTP.code(aliceSecret, Totp.timeStep(CLOCK.instant()));
  }

  private static void assertRefused(String description, HttpResponse<Buffer> response) {
    assertEquals(400, response.statusCode(), response.bodyAsString());
    assertEquals("invalid_grant", response.bodyAsJsonObject().getString("error"));
    assertEquals(description, response.bodyAsJsonObject().getString("error_description"));
  }

  @Test
  void anEnrolledUserNeedsTheCodeAndALegacyClientIsToldToPrompt() {
    CLOCK.advance(Duration.ofMinutes(5));
    assertRefused(UserAuthenticator.CODE_REQUIRED, login("if-enrolled", "alice"));
    assertEquals(200, login("if-enrolled", "alice", "otp", codeNow()).statusCode());
  }

  @Test
  void totpIsAcceptedAsTheParameterNameToo() {
    CLOCK.advance(Duration.ofMinutes(5));
    assertEquals(200, login("if-enrolled", "alice", "totp", codeNow()).statusCode());
    HttpResponse<Buffer> both = login("if-enrolled", "alice", "otp", codeNow(), "totp", codeNow());
    assertEquals("invalid_request", both.bodyAsJsonObject().getString("error"));
  }

  @Test
  void aCodeIsUsedOnce() {
    CLOCK.advance(Duration.ofMinutes(5));
    String code = codeNow();
    assertEquals(200, login("if-enrolled", "alice", "otp", code).statusCode());
    assertRefused("the username or password is incorrect", login("if-enrolled", "alice", "otp", code));
  }

  @Test
  void wrongCodesCountTowardsTheLockout() {
    CLOCK.advance(Duration.ofMinutes(5));
    String wrong = codeNow().equals("000000") ? "111111" : "000000";
    for (int i = 0; i < 3; i++) {
      assertRefused("the username or password is incorrect", login("if-enrolled", "alice", "otp", wrong));
    }
    assertRefused("the username or password is incorrect", login("if-enrolled", "alice", "otp", codeNow()));
    CLOCK.advance(Duration.ofMinutes(2));
    assertEquals(200, login("if-enrolled", "alice", "otp", codeNow()).statusCode());
  }

  @Test
  void eachClientPolicy() {
    CLOCK.advance(Duration.ofMinutes(5));
    assertEquals(200, login("off", "alice").statusCode(), "off: never asked");
    assertEquals(200, login("if-enrolled", "bob").statusCode(), "if-enrolled: bob has none");
    assertRefused(UserAuthenticator.NOT_ENROLLED, login("required", "bob"));
    assertRefused(UserAuthenticator.CODE_REQUIRED, login("required", "alice"));
    assertEquals(200, login("required", "alice", "otp", codeNow()).statusCode());
  }

  @Test
  void aWrongPasswordWithARightCodeIsJustAWrongPassword() {
    CLOCK.advance(Duration.ofMinutes(5));
    HttpResponse<Buffer> response = api.tokenWithBasic("if-enrolled", SECRETS.get("if-enrolled"),
      form("grant_type", "password", "username", "alice", "password", "wrong", "otp", codeNow()));
    assertRefused("the username or password is incorrect", response);
  }

  /** A sealer with only the key of earlier releases: version-1 values, as they were sealed before the keyring. */
  static TotpSecretSealer legacySealer(byte[] key) {
    return TotpSecretSealer.of(new io.tokengate.crypto.Keyring(java.util.List.of(),
      java.util.Map.of(io.tokengate.crypto.Purpose.TOTP_SECRET, key))).orElseThrow();
  }
}
