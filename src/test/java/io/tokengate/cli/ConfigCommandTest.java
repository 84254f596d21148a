package io.tokengate.cli;

import io.tokengate.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --config} anywhere on the command line, and {@code config check}. */
class ConfigCommandTest {

  @TempDir
  static Path directory;

  private static TestDatabase database;
  private static Path config;

  record Run(int exitCode, String out, String err) {
  }

  @BeforeAll
  static void setUp() throws IOException {
    database = TestDatabase.create();
    config = Files.writeString(directory.resolve("tokengate.yaml"),
      "issuer: https://auth.example.com\ndatabase:\n  url: " + database.url().value() + "\nhttp:\n  port: 8443\n");
  }

  @AfterAll
  static void tearDown() {
    database.close();
  }

  private static Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = TokengateCommand.create(env).setOut(new PrintWriter(out, true))
      .setErr(new PrintWriter(err, true));
    return new Run(commandLine.execute(args), out.toString(), err.toString());
  }

  @Test
  void configGivenBeforeOrAfterTheCommandMeansTheSame() {
    Run before = run(Map.of(), "--config", config.toString(), "config", "check");
    Run middle = run(Map.of(), "config", "--config", config.toString(), "check");
    Run after = run(Map.of(), "config", "check", "--config", config.toString());

    assertEquals(0, before.exitCode(), before.err());
    assertTrue(before.out().matches("(?s).*\\nhttp\\.port +8443  \\(" + config + ":5\\)\\n.*"), before.out());
    assertEquals(before.out(), middle.out());
    assertEquals(before.out(), after.out());
  }

  @Test
  void configGivenTwiceIsAnError() {
    Run twice = run(Map.of(), "--config", config.toString(), "config", "check", "--config", config.toString());

    assertEquals(2, twice.exitCode());
    assertTrue(twice.err().startsWith("--config is given twice"), twice.err());
  }

  @Test
  void checkPrintsEveryValueWithItsOriginAndNoSecret() throws IOException {
    String key = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    Path keyFile = Files.writeString(directory.resolve("totp-key"), key);
    String url = database.url().value().replace("postgres@", "postgres:hunter2@");

    Run check = run(Map.of("TOKENGATE_DATABASE_URL", url, "TOKENGATE_TOTP_ENCRYPTION_KEY_FILE", keyFile.toString(),
      "TOKENGATE_HASHING_QUEUE_SIZE", "7"), "config", "check", "--config", config.toString());

    assertEquals(0, check.exitCode(), check.err());
    assertTrue(check.out().startsWith("configuration file: " + config), check.out());
    assertTrue(check.out().matches("(?s).*\\nhashing\\.queue_size +7  \\(TOKENGATE_HASHING_QUEUE_SIZE\\)\\n.*"), check.out());
    assertTrue(check.out().matches("(?s).*\\ntotp\\.encryption_key +\\(set\\)  \\(TOKENGATE_TOTP_ENCRYPTION_KEY_FILE "
      + "\\(" + keyFile + "\\)\\)\\n.*"), check.out());
    assertTrue(check.out().matches("(?s).*\\nhttp\\.host +0\\.0\\.0\\.0  \\(default\\)\\n.*"), check.out());
    assertTrue(check.out().contains("postgres:***@"), check.out());
    assertFalse(check.out().contains("hunter2"), check.out());
    assertFalse(check.out().contains(key), check.out());
    assertTrue(check.out().strip().endsWith("configuration is valid and PostgreSQL answers"), check.out());
  }

  @Test
  void checkSpeaksJsonForTooling() {
    Run check = run(Map.of(), "config", "check", "--config", config.toString(), "--output", "json");

    JsonObject json = new JsonObject(check.out());
    assertEquals(0, check.exitCode(), check.err());
    assertTrue(json.getBoolean("valid"));
    JsonObject port = json.getJsonArray("values").stream().map(JsonObject.class::cast)
      .filter(value -> value.getString("key").equals("http.port")).findFirst().orElseThrow();
    assertEquals(new JsonObject().put("key", "http.port").put("value", "8443").put("type", "integer")
      .put("secret", false).put("origin", "file").put("from", config + ":5"), port);
  }

  @Test
  void checkExitsOneWithOneLinePerProblem() throws IOException {
    Path bad = Files.writeString(directory.resolve("bad.yaml"), "http:\n  port: eighty\n  prot: 1\n");

    Run check = run(Map.of(), "config", "check", "--config", bad.toString());

    assertEquals(1, check.exitCode());
    assertEquals("tokengate: unknown configuration key http.prot (" + bad + ":3); did you mean http.port?\n"
      + "tokengate: invalid configuration: http.port (" + bad + ":2) 'eighty' is not a whole number", check.err().strip());
  }

  @Test
  void checkReportsAnUnreachableDatabaseWithoutItsPassword() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Map<String, String> env = new HashMap<>();
    env.put("TOKENGATE_DATABASE_URL", "postgresql://app:hunter2@127.0.0.1:" + closedPort + "/tokens");
    env.put("TOKENGATE_DATABASE_CONNECT_TIMEOUT", "500ms");

    Run check = run(env, "config", "check");

    assertEquals(1, check.exitCode());
    assertTrue(check.err().startsWith("tokengate: cannot reach PostgreSQL at postgresql://app:***@127.0.0.1:"),
      check.err());
    assertEquals(1, check.err().strip().lines().count(), check.err());
    assertFalse(check.err().contains("hunter2") || check.out().contains("hunter2"));
  }

  @Test
  void aServeWithBadConfigurationStopsWithUsageStatusBeforeOpeningAPort() {
    Run serve = run(Map.of("TOKENGATE_HTTP_PORTT", "1"), "serve", "--config", config.toString());

    assertEquals(2, serve.exitCode());
    assertEquals("tokengate: invalid configuration: TOKENGATE_HTTP_PORTT names no configuration key; did you mean "
      + "TOKENGATE_HTTP_PORT?", serve.err().strip());
  }
}
