package io.tokengate.user;

import io.tokengate.cli.TokengateCommand;
import io.tokengate.support.Http;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A migrating team's path: import users hashed by bcrypt, PBKDF2 (Django, passlib) and scrypt, log them in, and watch
 * each hash become Argon2id. The hashes were made by other implementations (libxcrypt's crypt(3), Python's hashlib,
 * in the formats passlib and Django write), for the password below.
 */
@ExtendWith(VertxExtension.class)
class LegacyHashImportTest {

  private static final String PASSWORD = "correct horse battery staple";
  private static final Map<String, String> LEGACY = Map.of(
    "bcrypt-user", "$2b$04$abcdefghijklmnopqrstuu7EJV7kdjBBQxyb0HjTh9KS7.Lah/6CG",
    "django-user", "pbkdf2_sha256$1000$seasalt$3xmXbyk2QpiyNcnoBbzRPwEBsYPTbDlRdtmLyBvQltA=",
    "passlib-user", "$pbkdf2-sha512$1000$MDEyMzQ1Njc4OWFiY2RlZg$5bTW2oeyDJyGJPcmEr.mRDE11ghpozWrDGnSNhRXo2ZCu0KHRDiUMAVE"
      + "GzLJC.oDhRoeIja9J1iLIv9ptDJMfQ",
    "scrypt-user", "$scrypt$ln=4,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$jkBzE6t+3YTzAuQ1ol2ZxJUOk0akIbgat0w+kf21AT0");

  @TempDir
  static Path directory;

  private static TestGateway gateway;
  private static Http api;
  private static String secret;
  private static Path config;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    gateway = TestGateway.start();
    api = new Http(vertx, gateway.port());
    secret = gateway.createClient("app", Set.of("password"), List.of(), List.of());
    config = Files.writeString(directory.resolve("tokengate.yaml"),
      "database:\n  url: " + gateway.database().url().value() + "\n");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--config";
    all[args.length + 1] = config.toString();
    int exit = TokengateCommand.create().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
      .execute(all);
    return new String[] {Integer.toString(exit), out.toString().strip(), err.toString().strip()};
  }

  private static String storedHash(String username) {
    return gateway.queryString("SELECT password_hash FROM users WHERE username = $1", username);
  }

  @Test
  void importedLegacyHashesLogInAndAreReplacedByArgon2id(Vertx vertx) throws Exception {
    StringBuilder csv = new StringBuilder("username,hash,attributes\n");
    LEGACY.forEach((username, hash) -> csv.append(username).append(",\"").append(hash).append("\",\n"));
    csv.append("broken-user,$md5$nothing,\n");
    csv.append("\"unterminated,$2b$04$x\n");
    Path file = Files.writeString(directory.resolve("users.csv"), csv);

    String[] first = run("user", "import", file.toString());
    String[] again = run("user", "import", file.toString());

    assertEquals("0", first[0], first[2]);
    assertEquals("imported 4, already present 0, rejected 2", first[1]);
    assertTrue(first[2].contains("line 6: the hash is not in a supported format"), first[2]);
    assertTrue(first[2].contains("line 7: an unterminated quote"), first[2]);
    assertTrue(!first[2].contains("$md5$"), "a rejected hash is never echoed");
    assertEquals("imported 0, already present 4, rejected 2", again[1], "running it again changes nothing");

    for (String username : LEGACY.keySet()) {
      assertEquals(400, api.tokenWithBasic("app", secret, form("grant_type", "password", "username", username,
        "password", "wrong")).statusCode(), username);
      assertEquals(200, api.tokenWithBasic("app", secret, form("grant_type", "password", "username", username,
        "password", PASSWORD)).statusCode(), username);
    }
    for (String username : LEGACY.keySet()) {
      awaitArgon2id(username);
      assertEquals(200, api.tokenWithBasic("app", secret, form("grant_type", "password", "username", username,
        "password", PASSWORD)).statusCode(), username + " after the rehash");
    }
    String metrics = new Http(vertx, gateway.managementPort()).get("/metrics").bodyAsString();
    assertTrue(metrics.contains("tokengate_password_rehashes_total{from=\"pbkdf2\"} 2.0"), metrics);
    assertTrue(metrics.contains("tokengate_password_rehashes_total{from=\"bcrypt\"} 1.0"));
    assertTrue(metrics.contains("tokengate_password_rehashes_total{from=\"scrypt\"} 1.0"));
  }

  @Test
  void jsonLinesCarryAttributesAndTheEnabledFlag() throws Exception {
    Path file = Files.writeString(directory.resolve("users.jsonl"), String.join("\n",
      "{\"username\":\"json-user\",\"password_hash\":\"" + LEGACY.get("bcrypt-user") + "\",\"attributes\":{\"dept\":\"ops\"}}",
      "{\"username\":\"json-disabled\",\"password_hash\":\"" + LEGACY.get("django-user") + "\",\"enabled\":false}",
      "{\"username\":42,\"password_hash\":\"x\"}",
      "not json"));

    String[] result = run("user", "import", file.toString());

    assertEquals("imported 2, already present 0, rejected 2", result[1], result[2]);
    assertEquals("ops", gateway.queryString("SELECT attributes->>'dept' FROM users WHERE username = 'json-user'"));
    assertEquals(400, api.tokenWithBasic("app", secret, form("grant_type", "password", "username", "json-disabled",
      "password", PASSWORD)).statusCode(), "imported disabled");
  }

  private static void awaitArgon2id(String username) throws InterruptedException {
    for (int attempt = 0; attempt < 200 && !storedHash(username).startsWith("$argon2id$"); attempt++) {
      Thread.sleep(25);
    }
    assertTrue(storedHash(username).startsWith("$argon2id$v=19$m=7168,t=5,p=1$"), storedHash(username));
  }
}
