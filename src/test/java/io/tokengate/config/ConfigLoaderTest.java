package io.tokengate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

  @TempDir
  Path directory;

  private static Config load(Map<String, String> env) {
    return ConfigLoader.load(null, env);
  }

  private static String failure(Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> load(env)).getMessage();
  }

  @Test
  void theDefaultsAreTheDocumentedOnes() {
    Config config = load(Map.of());

    assertEquals("http://localhost:8080", config.issuer().toString());
    assertEquals(8080, config.http().port());
    assertEquals(9000, config.management().port());
    assertEquals(65536, config.http().bodyLimit());
    assertEquals("postgresql://postgres@127.0.0.1:5432/tokengate", config.database().url().value());
    assertEquals(7168, config.hashing().argon2MemoryKib());
    assertEquals(5, config.hashing().argon2Iterations());
    assertEquals(1, config.hashing().argon2Parallelism());
    assertEquals("ES256", config.tokens().signingAlgorithm());
    assertEquals(Duration.ofMinutes(5), config.tokens().accessTokenLifetime());
    assertTrue(config.database().migrateOnStart());
    assertTrue(config.http().tls().isEmpty());
    assertEquals("", config.http().trustedProxies());
    assertTrue(config.clients().secretEncryptionKey().isEmpty());
    assertEquals(Duration.ofMinutes(5), config.clients().assertionMaxLifetime());
    assertEquals(Duration.ofMinutes(1), config.dpop().proofLifetime());
  }

  @Test
  void environmentVariablesOverrideEveryKey() {
    Config config = load(Map.of(
      "TOKENGATE_ISSUER", "https://auth.example.com",
      "TOKENGATE_HTTP_PORT", "8443",
      "TOKENGATE_MANAGEMENT_PORT", "9100",
      "TOKENGATE_DATABASE_URL", "postgresql://app:s3cret@db.internal:5432/tokens",
      "TOKENGATE_HASHING_QUEUE_SIZE", "7",
      "TOKENGATE_TOKENS_ACCESS_TOKEN_LIFETIME", "15m"));

    assertEquals("https://auth.example.com", config.issuer().toString());
    assertEquals(8443, config.http().port());
    assertEquals(9100, config.management().port());
    assertEquals("tokens", config.database().url().database());
    assertEquals(7, config.hashing().queueSize());
    assertEquals(Duration.ofMinutes(15), config.tokens().accessTokenLifetime());
  }

  @Test
  void aValueCanComeFromAFileForKubernetesSecrets() throws IOException {
    Path secret = Files.writeString(directory.resolve("database-url"), "postgresql://app:pw@db:5432/tokens\n");

    Config config = load(Map.of("TOKENGATE_DATABASE_URL_FILE", secret.toString()));

    assertEquals("postgresql://app:pw@db:5432/tokens", config.database().url().value());
  }

  @Test
  void aConfigurationFileOverridesTheDefaultsAndTheEnvironmentOverridesTheFile() throws IOException {
    Path file = Files.writeString(directory.resolve("tokengate.yaml"), "http:\n  port: 7000\n  body_limit: 4096\n");

    Config config = ConfigLoader.load(file, Map.of("TOKENGATE_HTTP_PORT", "7001"));

    assertEquals(7001, config.http().port());
    assertEquals(4096, config.http().bodyLimit());
  }

  @Test
  void anUnknownKeyInTheFileIsAnError() throws IOException {
    Path file = Files.writeString(directory.resolve("tokengate.yaml"), "http:\n  prot: 7000\n");

    String message = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of())).getMessage();

    assertTrue(message.contains("http.prot"), message);
  }

  @Test
  void unrelatedTokengateVariablesAreIgnored() {
    // Kubernetes injects TOKENGATE_PORT=tcp://... for a Service named tokengate.
    assertEquals(8080, load(Map.of("TOKENGATE_PORT", "tcp://10.0.0.1:8080")).http().port());
  }

  @Test
  void badValuesStopStartUpWithOneLineNamingTheirSource() {
    String port = failure(Map.of("TOKENGATE_HTTP_PORT", "eighty"));
    assertEquals("invalid configuration: http.port (TOKENGATE_HTTP_PORT) 'eighty' is not a whole number", port);
    assertTrue(failure(Map.of("TOKENGATE_HTTP_PORT", "70000")).contains("outside 0..65535"));
    assertTrue(failure(Map.of("TOKENGATE_TOKENS_ACCESS_TOKEN_LIFETIME", "5 minutes")).contains("not a duration"));
    assertTrue(failure(Map.of("TOKENGATE_TOKENS_SIGNING_ALGORITHM", "HS256")).contains("not one of"));
    assertTrue(failure(Map.of("TOKENGATE_ISSUER", "https://auth.example.com/")).contains("must not end with '/'"));
    assertTrue(failure(Map.of("TOKENGATE_ISSUER", "https://auth.example.com?x=1")).contains("query"));
    assertTrue(failure(Map.of("TOKENGATE_ISSUER", "auth.example.com")).contains("absolute"));
    assertTrue(failure(Map.of("TOKENGATE_DATABASE_MIGRATE_ON_START", "yes")).contains("neither true nor false"));
    assertEquals("invalid configuration: clients.secret_encryption_key (TOKENGATE_CLIENTS_SECRET_ENCRYPTION_KEY) "
      + "must be 32 bytes (openssl rand -base64 32)",
      failure(Map.of("TOKENGATE_CLIENTS_SECRET_ENCRYPTION_KEY", "c2hvcnQ=")));
    assertTrue(failure(Map.of("TOKENGATE_CLIENTS_SECRET_ENCRYPTION_KEY", "not base64!")).contains("is not base64"));
    assertTrue(failure(Map.of("TOKENGATE_HTTP_TLS_CERTIFICATE_FILE", "/etc/tls/cert.pem"))
      .matches("invalid configuration: http.tls.key_file .*must be set together with http.tls.certificate_file"));
    assertTrue(failure(Map.of("TOKENGATE_HTTP_TRUSTED_PROXIES", "10.0.0.0/8, proxy.internal"))
      .startsWith("invalid configuration: http.trusted_proxies (TOKENGATE_HTTP_TRUSTED_PROXIES)"));
    assertEquals("invalid configuration: password_grant.sunset_link (TOKENGATE_PASSWORD_GRANT_SUNSET_LINK) must be an "
      + "absolute http(s) URL", failure(Map.of("TOKENGATE_PASSWORD_GRANT_SUNSET_LINK", "docs/password-grant.html")));
    assertTrue(failure(Map.of("TOKENGATE_PASSWORD_GRANT_USAGE_RETENTION", "1d")).contains("outside 2d..3650d"));
    for (String message : java.util.List.of(port, failure(Map.of("TOKENGATE_HTTP_PORT", "")))) {
      assertFalse(message.contains("\n"), "one line");
    }
  }

  @Test
  void databaseUrlsMustNameAUserAndADatabaseAndNeverShowTheirPassword() {
    assertTrue(failure(Map.of("TOKENGATE_DATABASE_URL", "mysql://root@db/tokens")).contains("postgresql://"));
    assertTrue(failure(Map.of("TOKENGATE_DATABASE_URL", "postgresql://db:5432/tokens")).contains("must name a user"));
    String noDatabase = failure(Map.of("TOKENGATE_DATABASE_URL", "postgresql://app:hunter2@db:5432"));
    assertTrue(noDatabase.contains("must name a database"));
    assertFalse(noDatabase.contains("hunter2"), noDatabase);
    assertEquals("postgresql://app:***@db:5432/tokens",
      DatabaseUrl.parse("postgresql://app:hunter2@db:5432/tokens", "test").toString());
    assertEquals("postgresql://app@db:5432/tokens?sslmode=require&password=***&sslpassword=***",
      DatabaseUrl.parse("postgresql://app@db:5432/tokens?sslmode=require&password=hunter2&sslpassword=x", "test")
        .toString());
  }

  @Test
  void anUnreadableSecretFileIsAnError() {
    String message = failure(Map.of("TOKENGATE_DATABASE_URL_FILE", directory.resolve("missing").toString()));
    assertTrue(message.startsWith("TOKENGATE_DATABASE_URL_FILE: cannot read"), message);
  }

  @Test
  void aKeyPublicationDelayShorterThanTheReloadIntervalIsRefused() {
    String message = failure(Map.of("TOKENGATE_TOKENS_KEY_PUBLICATION_DELAY", "20s",
      "TOKENGATE_TOKENS_KEYS_RELOAD_INTERVAL", "30s"));

    assertTrue(message.contains("tokens.key_publication_delay"), message);
    assertTrue(message.contains("longer than tokens.keys_reload_interval (30s)"), message);
    assertEquals(java.time.Duration.ZERO, load(Map.of("TOKENGATE_TOKENS_KEY_PUBLICATION_DELAY", "0s")).tokens()
      .keyPublicationDelay(), "0s: an emergency rotation signs at once");
  }
}
