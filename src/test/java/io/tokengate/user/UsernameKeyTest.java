package io.tokengate.user;

import io.tokengate.store.UsernameKeyStore;
import io.tokengate.support.Http;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Lockout keys are an HMAC of the username under users.username_key — generated once and shared through the
 * database when not configured — computed alike in Java and in SQL; counts kept under the unkeyed SHA-256 of
 * earlier versions keep counting for existing users.
 */
@ExtendWith(VertxExtension.class)
class UsernameKeyTest {

  private static final String PASSWORD = "correct horse battery staple";

  @Test
  void theLockoutKeyIsAnHmacUnderTheConfiguredKeyInJavaAndInSql() throws Exception {
    byte[] key = new byte[32];
    key[0] = 17;
    try (TestGateway gateway = TestGateway.start(Map.of("TOKENGATE_USERS_USERNAME_KEY",
      Base64.getEncoder().encodeToString(key)))) {
      UsernameDigests digests = UsernameKeyStore.load(gateway.pool(), Optional.of(key), io.tokengate.crypto.Keyring.empty()).await();
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] expected = mac.doFinal("ålice".getBytes(StandardCharsets.UTF_8));

      assertArrayEquals(expected, digests.digest("ålice"));
      String sql = gateway.queryString("SELECT encode(" + UsernameDigests.sql("$1", "$2", "$3::text") + ", 'hex')",
        Buffer.buffer(digests.innerPad()), Buffer.buffer(digests.outerPad()), "ålice");
      assertEquals(HexFormat.of().formatHex(expected), sql, "PostgreSQL computes the same bytes");
      assertNotEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest("ålice".getBytes(StandardCharsets.UTF_8))), sql, "not the unkeyed SHA-256 any more");
    }
  }

  @Test
  void anUnconfiguredKeyIsGeneratedOnceAndSharedByReplicas(Vertx vertx) {
    try (TestGateway gateway = TestGateway.start();
         TestGateway replica = TestGateway.startOn(gateway.database(), Map.of())) {
      String stored = gateway.queryString("SELECT encode(key, 'hex') FROM username_key");
      UsernameDigests again = UsernameKeyStore.load(replica.pool(), Optional.empty(), io.tokengate.crypto.Keyring.empty()).await();

      assertEquals("1", gateway.queryString("SELECT count(*) FROM username_key"));
      assertArrayEquals(new UsernameDigests(HexFormat.of().parseHex(stored)).digest("bob"), again.digest("bob"));
    }
  }

  @Test
  void countsKeptUnderTheOldSha256KeepCountingForExistingUsers(Vertx vertx) throws Exception {
    try (TestGateway gateway = TestGateway.start(Map.of("TOKENGATE_LOCKOUT_THRESHOLD", "3"))) {
      String secret = gateway.createClient("app", Set.of("password"), List.of(), List.of());
      gateway.createUser("carol", PASSWORD);
      // The state an earlier version left: two failures under the SHA-256, and the key not yet established.
      gateway.sql("DELETE FROM username_key");
      gateway.sql("INSERT INTO login_failures (username_hash, failures, last_failure_at) VALUES ($1, 2, now())",
        Buffer.buffer(MessageDigest.getInstance("SHA-256").digest("carol".getBytes(StandardCharsets.UTF_8))));

      try (TestGateway upgraded = TestGateway.startOn(gateway.database(), Map.of("TOKENGATE_LOCKOUT_THRESHOLD", "3"))) {
        Http api = new Http(vertx, upgraded.port());
        api.tokenWithBasic("app", secret, form("grant_type", "password", "username", "carol", "password", "wrong"));

        assertEquals(400, api.tokenWithBasic("app", secret,
          form("grant_type", "password", "username", "carol", "password", PASSWORD)).statusCode(),
          "the third failure locked: the two from before the upgrade counted");
      }
    }
  }
}
