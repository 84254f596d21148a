package io.tokengate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where values come from, against tokengate's own schema: lists, both forms of a variable, typos, service links. */
class ConfigSourcesTest {

  @TempDir
  Path directory;

  private Path file(String yaml) throws IOException {
    return Files.writeString(directory.resolve("tokengate.yaml"), yaml);
  }

  private static List<String> problems(Path file, Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.load(file, env)).problems();
  }

  @Test
  void aListIsAYamlSequenceOrOneCommaSeparatedString() throws IOException {
    Config sequence = ConfigLoader.load(file("http:\n  trusted_proxies: [10.0.0.0/8, 192.168.1.5]\n"), Map.of());
    Config scalar = ConfigLoader.load(file("http:\n  trusted_proxies: 10.0.0.0/8, 192.168.1.5\n"), Map.of());
    Config single = ConfigLoader.load(file("http:\n  trusted_proxies: 10.0.0.0/8\n"), Map.of());
    Config fromEnv = ConfigLoader.load(null, Map.of("TOKENGATE_HTTP_TRUSTED_PROXIES", "10.0.0.0/8,192.168.1.5"));

    assertEquals("10.0.0.0/8,192.168.1.5", sequence.http().trustedProxies());
    assertEquals("10.0.0.0/8,192.168.1.5", scalar.http().trustedProxies());
    assertEquals("10.0.0.0/8", single.http().trustedProxies());
    assertEquals("10.0.0.0/8,192.168.1.5", fromEnv.http().trustedProxies());
  }

  @Test
  void aListWhereOneValueBelongsIsRefusedWithItsLine() throws IOException {
    Path file = file("issuer: https://auth.example.com\nhttp:\n  port: [80, 81]\n");

    assertEquals(List.of("invalid configuration: http.port (" + file + ":3) must be a single value, not a list"),
      problems(file, Map.of()));
  }

  @Test
  void aVariableAndItsFileFormTogetherAreAnErrorNotASilentChoice() throws IOException {
    Path secret = Files.writeString(directory.resolve("url"), "postgresql://app@db:5432/tokens\n");

    List<String> problems = problems(null, Map.of("TOKENGATE_DATABASE_URL", "postgresql://other@db:5432/tokens",
      "TOKENGATE_DATABASE_URL_FILE", secret.toString()));

    assertEquals(List.of("invalid configuration: both TOKENGATE_DATABASE_URL and TOKENGATE_DATABASE_URL_FILE are set; "
      + "set only one"), problems);
  }

  @Test
  void aDuplicateKeyNamesBothLines() throws IOException {
    Path file = file("http:\n  port: 8081\n  host: 127.0.0.1\n  port: 8082\n");

    assertEquals(List.of("invalid configuration: http.port is set twice in " + file + ", on lines 2 and 4"),
      problems(file, Map.of()));
  }

  @Test
  void aMistypedKeyOrVariableIsCaughtWithASuggestion() throws IOException {
    Path file = file("http:\n  prot: 7000\n");

    assertEquals(List.of("unknown configuration key http.prot (" + file + ":2); did you mean http.port?"),
      problems(file, Map.of()));
    assertEquals(List.of("invalid configuration: TOKENGATE_HTTP_PORTT names no configuration key; "
      + "did you mean TOKENGATE_HTTP_PORT?"), problems(null, Map.of("TOKENGATE_HTTP_PORTT", "8080")));
    assertEquals(List.of("invalid configuration: TOKENGATE_ISSUR names no configuration key; "
      + "did you mean TOKENGATE_ISSUER?"), problems(null, Map.of("TOKENGATE_ISSUR", "https://a.example")));
    assertTrue(problems(null, Map.of("TOKENGATE_DATABASE_POOL", "4")).get(0)
      .startsWith("invalid configuration: TOKENGATE_DATABASE_POOL names no configuration key"));
  }

  @Test
  void kubernetesServiceLinkVariablesAreIgnored() {
    Map<String, String> links = Map.of(
      "TOKENGATE_SERVICE_HOST", "10.0.0.1",
      "TOKENGATE_SERVICE_PORT", "8080",
      "TOKENGATE_SERVICE_PORT_HTTP", "8080",
      "TOKENGATE_PORT", "tcp://10.0.0.1:8080",
      "TOKENGATE_PORT_8080_TCP", "tcp://10.0.0.1:8080",
      "TOKENGATE_PORT_8080_TCP_PROTO", "tcp",
      "TOKENGATE_PORT_8080_TCP_PORT", "8080",
      "TOKENGATE_PORT_8080_TCP_ADDR", "10.0.0.1",
      "TOKENGATE_METRICS_SERVICE_PORT", "9000",
      "TOKENGATE_METRICS_PORT_9000_TCP_ADDR", "10.0.0.2");

    Config config = ConfigLoader.load(null, links);

    assertEquals(8080, config.http().port());
    assertEquals(9000, config.management().port());
  }

  @Test
  void variablesOfOtherToolsAreLeftAlone() {
    assertEquals(8080, ConfigLoader.load(null, Map.of("TOKENGATE_TEST_DATABASE_URL", "postgresql://x@y/z",
      "TOKENGATE_BENCH_SECONDS", "30")).http().port());
  }

  @Test
  void everyProblemIsReportedAtOnceOneLineEach() throws IOException {
    Path file = file("http:\n  port: eighty\n  prot: 1\nlockout:\n  threshold: -1\n");

    List<String> problems = problems(file, Map.of("TOKENGATE_HASHING_THREADZ", "2"));

    assertEquals(4, problems.size(), problems.toString());
    problems.forEach(problem -> assertFalse(problem.contains("\n")));
    assertTrue(problems.contains("invalid configuration: http.port (" + file + ":2) 'eighty' is not a whole number"));
    assertTrue(problems.contains("invalid configuration: lockout.threshold (" + file + ":5) -1 is outside 0..1000"));
  }

  @Test
  void aSecretNeverAppearsInAnError() throws IOException {
    String secret = "hunter2-hunter2-hunter2";
    Path file = file("clients:\n  secret_encryption_key: [" + secret + "]\n");

    String inFile = String.join("\n", problems(file, Map.of()));
    String inEnv = String.join("\n", problems(null, Map.of("TOKENGATE_TOTP_ENCRYPTION_KEY", secret)));
    String inUrl = String.join("\n", problems(null, Map.of("TOKENGATE_DATABASE_URL", "postgresql://app:" + secret + "@db")));

    assertTrue(inFile.contains("clients.secret_encryption_key"), inFile);
    assertFalse(inFile.contains(secret), inFile);
    assertTrue(inEnv.contains("totp.encryption_key"), inEnv);
    assertFalse(inEnv.contains(secret), inEnv);
    assertFalse(inUrl.contains(secret), inUrl);
  }

  @Test
  void logLevelsUseTheNamesOperatorsKnow() throws IOException {
    Config config = ConfigLoader.load(file("logging:\n  level: warn\n  levels: io.netty=error, io.tokengate.audit=info\n"),
      Map.of());

    assertEquals("warn", config.logs().level());
    assertEquals(Map.of("io.netty", "error", "io.tokengate.audit", "info"), config.logs().levels());
    assertEquals(List.of("invalid configuration: logging.level (TOKENGATE_LOGGING_LEVEL) 'verbose' is not one of "
      + "debug, error, info, trace, warn"), problems(null, Map.of("TOKENGATE_LOGGING_LEVEL", "verbose")));
    assertEquals(List.of("invalid configuration: logging.levels (TOKENGATE_LOGGING_LEVELS) 'io.netty' is not "
      + "logger=level with a level of error, warn, info, debug, trace"),
      problems(null, Map.of("TOKENGATE_LOGGING_LEVELS", "io.netty")));
  }

  @Test
  void anEmptyFileOrAnEmptyGroupIsNoChange() throws IOException {
    assertEquals(8080, ConfigLoader.load(file(""), Map.of()).http().port());
    assertEquals(8080, ConfigLoader.load(file("http: {}\nhashing:\n  argon2:\n"), Map.of()).http().port());
  }

  @Test
  void effectiveValuesNameTheirOriginAndHideSecrets() throws IOException {
    String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    Path secretFile = Files.writeString(directory.resolve("key"), key + "\n");
    Path file = file("issuer: https://auth.example.com\nhttp:\n  port: 8443\n");

    EffectiveConfiguration effective = ConfigLoader.inspect(file, Map.of(
      "TOKENGATE_DATABASE_URL", "postgresql://app:hunter2@db:5432/tokens",
      "TOKENGATE_TOTP_ENCRYPTION_KEY_FILE", secretFile.toString()));
    Map<String, EffectiveConfiguration.Value> byKey = new java.util.HashMap<>();
    effective.values().forEach(value -> byKey.put(value.key(), value));

    assertEquals(file + ":1", byKey.get("issuer").origin().where());
    assertEquals(Origin.Kind.FILE, byKey.get("http.port").origin().kind());
    assertEquals("8443", byKey.get("http.port").value());
    assertEquals(Origin.Kind.DEFAULT, byKey.get("http.host").origin().kind());
    assertEquals("postgresql://app:***@db:5432/tokens", byKey.get("database.url").value());
    assertEquals("TOKENGATE_DATABASE_URL", byKey.get("database.url").origin().where());
    assertEquals("(set)", byKey.get("totp.encryption_key").value());
    assertEquals(Origin.Kind.ENVIRONMENT_FILE, byKey.get("totp.encryption_key").origin().kind());
    assertEquals("(not set)", byKey.get("clients.secret_encryption_key").value());
    assertFalse(effective.values().toString().contains(key));
    assertFalse(effective.values().toString().contains("hunter2"));
  }
}
