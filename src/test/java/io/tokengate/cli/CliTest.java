package io.tokengate.cli;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.tokengate.client.Client;
import io.tokengate.config.ConfigException;
import io.tokengate.store.ClientStore;
import io.tokengate.support.TestCertificates;
import io.tokengate.support.TestDatabase;
import io.tokengate.tls.CertificateIdentity;
import io.tokengate.token.RefreshTokens;
import io.tokengate.user.Argon2Hasher;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator's commands, run in-process exactly as {@code java -jar tokengate.jar ...} runs them. */
class CliTest {

  @TempDir
  static Path directory;

  private static TestDatabase database;
  private static Path config;
  private static Vertx vertx;
  private static Pool pool;

  record Run(int exitCode, String out, String err) {
  }

  @BeforeAll
  static void setUp() throws Exception {
    database = TestDatabase.create();
    config = Files.writeString(directory.resolve("tokengate.yaml"),
      "database:\n  url: " + database.url().value() + "\n");
    vertx = Vertx.vertx();
    pool = PgBuilder.pool().connectingTo(database.url().connectOptions()).using(vertx).build();
    assertEquals(0, run(null, "migrate").exitCode());
  }

  @AfterAll
  static void tearDown() {
    vertx.close().await();
    database.close();
  }

  private static Run run(String stdin, String... args) {
    return execute(config, stdin, args);
  }

  private static Run execute(Path configFile, String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] withConfig = new String[args.length + (configFile == null ? 0 : 2)];
    System.arraycopy(args, 0, withConfig, 0, args.length);
    if (configFile != null) {
      withConfig[args.length] = "--config";
      withConfig[args.length + 1] = configFile.toString();
    }
    InputStream originalIn = System.in;
    try {
      System.setIn(new ByteArrayInputStream(stdin == null ? new byte[0] : stdin.getBytes(StandardCharsets.UTF_8)));
      CommandLine commandLine = TokengateCommand.create().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
      return new Run(commandLine.execute(withConfig), out.toString(), err.toString());
    } finally {
      System.setIn(originalIn);
    }
  }

  private static String column(String query, String parameter) {
    var rows = pool.preparedQuery(query).execute(Tuple.of(parameter)).await();
    return rows.size() == 0 ? null : rows.iterator().next().getString(0);
  }

  @Test
  void migrateIsIdempotent() {
    Run again = run(null, "migrate");

    assertEquals(0, again.exitCode());
    assertEquals("schema is up to date", again.out().strip());
  }

  @Test
  void clientCreatePrintsTheGeneratedSecretOnceAndStoresOnlyItsHash() {
    Run created = run(null, "client", "create", "cli-app", "--grants", "password",
      "--scopes", "read write", "--default-scopes", "read", "--access-token-lifetime", "10m");

    assertEquals(0, created.exitCode(), created.err());
    String secret = created.out().lines().filter(line -> line.startsWith("client_secret: ")).findFirst()
      .orElseThrow().substring("client_secret: ".length());
    assertEquals(43, secret.length());
    String stored = column("SELECT secret_hash FROM clients WHERE client_id = $1", "cli-app");
    assertTrue(stored.startsWith("$sha256$"));
    assertFalse(stored.contains(secret));
    assertEquals("{read,write}", column("SELECT scopes::text FROM clients WHERE client_id = $1", "cli-app"));

    Run duplicate = run(null, "client", "create", "cli-app", "--grants", "password");
    assertEquals(1, duplicate.exitCode());
    assertEquals("tokengate: client cli-app already exists", duplicate.err().strip());
  }

  @Test
  void clientCreateTakesAChosenSecretFromStandardInputOnly() {
    Run created = run("a chosen secret of decent length\n", "client", "create", "chosen", "--grants", "password",
      "--secret-stdin");

    assertEquals(0, created.exitCode(), created.err());
    assertFalse(created.out().contains("client_secret"), "nothing to show: the operator chose it");
    String stored = column("SELECT secret_hash FROM clients WHERE client_id = $1", "chosen");
    assertTrue(new Argon2Hasher(new Argon2Hasher.Parameters(8, 1, 1))
      .verify("a chosen secret of decent length".getBytes(StandardCharsets.UTF_8), stored));
    assertEquals(2, run(null, "client", "create", "x", "--grants", "password", "--secret", "hunter2hunter2hunter2")
      .exitCode(), "there is no option that takes a secret as an argument");
  }

  @Test
  void clientCreateRefusesBadInputWithUsageStatus() {
    for (String[] args : new String[][] {
      {"client", "create", "has space", "--grants", "password"},
      {"client", "create", "implicit-client", "--grants", "implicit"},
      {"client", "create", "bad-scope", "--grants", "password", "--scopes", "read", "--default-scopes", "write"},
      {"client", "create", "bad-lifetime", "--grants", "password", "--access-token-lifetime", "3d"},
      {"client", "create", "no-grants"}}) {
      Run refused = run(null, args);
      assertEquals(2, refused.exitCode(), String.join(" ", args) + " -> " + refused.err());
    }
  }

  @Test
  void userCreateReadsThePasswordFromStandardInput() {
    Run created = run("s3cret password\n", "user", "create", "bob", "--password-stdin");

    assertEquals(0, created.exitCode(), created.err());
    String stored = column("SELECT password_hash FROM users WHERE username = $1", "bob");
    assertTrue(stored.startsWith("$argon2id$v=19$m=7168,t=5,p=1$"));
    assertTrue(new Argon2Hasher(new Argon2Hasher.Parameters(8, 1, 1))
      .verify("s3cret password".getBytes(StandardCharsets.UTF_8), stored), "the line break is not part of it");
  }

  @Test
  void passwordsAreNeverTakenFromArguments() {
    assertEquals(2, run(null, "user", "create", "eve", "--password", "hunter2hunter2").exitCode());
    Run noTerminal = run(null, "user", "create", "eve");
    assertEquals(2, noTerminal.exitCode());
    assertTrue(noTerminal.err().contains("--password-stdin"), noTerminal.err());
    assertEquals(null, column("SELECT username FROM users WHERE username = $1", "eve"));
  }

  @Test
  void clientsCanBeListedShownRotatedAndDisabled() {
    Run created = run(null, "client", "create", "crm", "--grants", "password,refresh_token", "--scopes", "read",
      "--refresh-token-lifetime", "30d", "--refresh-token-idle-timeout", "1d");
    assertEquals(0, created.exitCode(), created.err());
    String hashBefore = column("SELECT secret_hash FROM clients WHERE client_id = $1", "crm");

    Run list = run(null, "client", "list");
    Run show = run(null, "client", "show", "crm");
    Run rotated = run(null, "client", "rotate-secret", "crm");
    Run disabled = run(null, "client", "disable", "crm");

    assertTrue(list.out().lines().anyMatch(line -> line.startsWith("crm ") && line.contains("password,refresh_token")),
      list.out());
    assertTrue(show.out().contains("refresh_token_lifetime:      30d"), show.out());
    assertTrue(show.out().contains("refresh_token_idle_timeout:  1d"), show.out());
    assertTrue(show.out().contains("access_token_lifetime:       5m (configured default)"), show.out());
    assertTrue(show.out().contains("generated, stored as SHA-256"));
    assertFalse(show.out().contains(hashBefore), "never the hash");
    assertEquals(0, rotated.exitCode(), rotated.err());
    String newSecret = rotated.out().lines().filter(line -> line.startsWith("client_secret: ")).findFirst().orElseThrow()
      .substring("client_secret: ".length());
    String hashAfter = column("SELECT secret_hash FROM clients WHERE client_id = $1", "crm");
    assertFalse(hashAfter.equals(hashBefore));
    assertFalse(hashAfter.contains(newSecret));
    assertEquals(0, disabled.exitCode());
    assertEquals("false", column("SELECT enabled::text FROM clients WHERE client_id = $1", "crm"));
    assertEquals("tokengate: no client nobody", run(null, "client", "show", "nobody").err().strip());
    assertEquals(1, run(null, "client", "disable", "nobody").exitCode());
  }

  @Test
  void anOperatorCanDisableAUserAndRevokeAllTheirRefreshTokens() {
    run("a long enough password\n", "user", "create", "compromised", "--password-stdin");
    run(null, "client", "create", "session-app", "--grants", "password,refresh_token");
    String userId = column("SELECT id::text FROM users WHERE username = $1", "compromised");
    Client client = new ClientStore(pool).findById("session-app").await().orElseThrow();
    RefreshTokens refreshTokens = new RefreshTokens(new io.tokengate.store.RefreshTokenFamiliesTable(pool,
      io.tokengate.store.UsernameKeyStore.load(pool, Optional.empty(), io.tokengate.crypto.Keyring.empty()).await()),
      Clock.systemUTC(), io.tokengate.config.ConfigLoader.load(config, Map.of()).tokens());
    refreshTokens.startFamily(client, UUID.fromString(userId), Set.of(), Optional.empty()).await();
    refreshTokens.startFamily(client, UUID.fromString(userId), Set.of(), Optional.empty()).await();

    Run revoked = run(null, "token", "revoke-user", "compromised");
    Run disabled = run(null, "user", "disable", "compromised");

    assertEquals("revoked 2 sessions (refresh-token families) of compromised", revoked.out().strip());
    assertEquals("0", column("SELECT count(*)::text FROM refresh_token_families WHERE user_id::text = $1 "
      + "AND revoked_at IS NULL", userId));
    assertEquals(0, disabled.exitCode());
    assertEquals("false", column("SELECT enabled::text FROM users WHERE username = $1", "compromised"));
    assertEquals(1, run(null, "token", "revoke-user", "nobody").exitCode());
  }

  @Test
  void aBadConfigurationIsOneLineAndUsageStatus() throws Exception {
    Path bad = Files.writeString(directory.resolve("bad.yaml"), "http:\n  port: eighty\n");
    StringWriter err = new StringWriter();

    int status = TokengateCommand.create().setErr(new PrintWriter(err, true)).execute("migrate", "--config", bad.toString());

    assertEquals(2, status);
    assertEquals("tokengate: invalid configuration: http.port (" + bad + ":2) 'eighty' is not a whole number",
      err.toString().strip());
  }

  @Test
  void anUnreachableDatabaseIsOneLineThatSaysWhatToDo() throws Exception {
    Path nowhere = Files.writeString(directory.resolve("nowhere.yaml"),
      "database:\n  url: postgresql://postgres:topsecret@127.0.0.1:1/tokengate\n  connect_timeout: 1s\n");
    StringWriter err = new StringWriter();

    int status = TokengateCommand.create().setErr(new PrintWriter(err, true)).execute("migrate", "--config", nowhere.toString());

    assertEquals(1, status);
    String message = err.toString().strip();
    assertEquals(1, message.lines().count(), message);
    assertTrue(message.startsWith("tokengate: cannot reach PostgreSQL at postgresql://postgres:***@127.0.0.1:1/tokengate"), message);
    assertTrue(message.contains("TOKENGATE_DATABASE_URL"));
    assertFalse(message.contains("topsecret"));
  }

  @Test
  void clientsAuthenticatingWithKeysAndCertificatesAreRegisteredAndShown() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("reports-1").generate();
    Path jwks = Files.writeString(directory.resolve("reports-jwks.json"), new JWKSet(key.toPublicJWK()).toString());
    Run keyed = run(null, "client", "create", "reports", "--grants", "client_credentials",
      "--auth-method", "private_key_jwt", "--jwks-file", jwks.toString(), "--require-dpop");
    Run keyedShow = run(null, "client", "show", "reports");

    Run tls = run(null, "client", "create", "payments", "--grants", "client_credentials",
      "--auth-method", "tls_client_auth", "--tls-san", "uri=spiffe://example.org/payments",
      "--certificate-bound-tokens");
    Run tlsShow = run(null, "client", "show", "payments");

    X509Certificate certificate = TestCertificates.leaf("CN=device").selfSigned().certificate();
    Path pem = TestCertificates.writeCertificates(directory.resolve("device.pem"), certificate);
    Run selfSigned = run(null, "client", "create", "device", "--grants", "client_credentials",
      "--auth-method", "self_signed_tls_client_auth", "--certificate-file", pem.toString());
    Run selfSignedShow = run(null, "client", "show", "device");

    assertEquals(0, keyed.exitCode(), keyed.err());
    assertFalse(keyed.out().contains("client_secret"), "no secret method, no secret");
    assertTrue(keyedShow.out().contains("private_key_jwt"), keyedShow.out());
    assertTrue(keyedShow.out().contains("reports-1"), keyedShow.out());
    assertTrue(keyedShow.out().contains("require_dpop:                true"), keyedShow.out());
    assertEquals(0, tls.exitCode(), tls.err());
    assertTrue(tlsShow.out().contains("tls_client_auth_san_uri:     spiffe://example.org/payments"), tlsShow.out());
    assertTrue(tlsShow.out().contains("certificate_bound_tokens:    true"), tlsShow.out());
    assertEquals(0, selfSigned.exitCode(), selfSigned.err());
    assertTrue(selfSignedShow.out().contains(CertificateIdentity.thumbprint(certificate)), selfSignedShow.out());
  }

  @Test
  void inconsistentClientAuthenticationIsRefusedWithOneLine() throws Exception {
    ECKey privateKey = new ECKeyGenerator(Curve.P_256).keyID("oops").generate();
    Path leaked = Files.writeString(directory.resolve("private-jwks.json"), new JWKSet(privateKey).toString(false));

    assertRefused("private_key_jwt needs the client's public keys: a JWKS or a jwks_uri",
      "client", "create", "a1", "--grants", "client_credentials", "--auth-method", "private_key_jwt");
    assertRefused("key oops holds private key material: register public keys only",
      "client", "create", "a2", "--grants", "client_credentials", "--auth-method", "private_key_jwt",
      "--jwks-file", leaked.toString());
    assertRefused("jwks_uri must be https (http only for localhost)",
      "client", "create", "a3", "--grants", "client_credentials", "--auth-method", "private_key_jwt",
      "--jwks-uri", "http://keys.example.com/jwks");
    assertRefused("tls_client_auth needs the certificate's subject DN or one subject alternative name",
      "client", "create", "a4", "--grants", "client_credentials", "--auth-method", "tls_client_auth");
    assertRefused("client_secret_jwt needs clients.secret_encryption_key to be configured",
      "client", "create", "a5", "--grants", "client_credentials", "--auth-method", "client_secret_jwt");
    assertRefused("unknown authentication method none",
      "client", "create", "a6", "--grants", "client_credentials", "--auth-method", "none");
    assertRefused("--tls-san must be TYPE=VALUE with TYPE one of dns, uri, ip, email",
      "client", "create", "a7", "--grants", "client_credentials", "--auth-method", "tls_client_auth",
      "--tls-san", "x500=CN=a");
    assertEquals("0", column("SELECT count(*)::text FROM clients WHERE client_id LIKE $1", "a_"));
  }

  private static void assertRefused(String message, String... args) {
    Run refused = run(null, args);
    assertEquals(2, refused.exitCode(), refused.out());
    assertEquals("tokengate: " + message, refused.err().strip());
  }

  @Test
  void keysGeneratePrintsAPrivateJwksAndRotationKeepsThePreviousKeysPublic() throws Exception {
    // keys generate touches no database and reads no configuration.
    Run generated = execute(null, null, "keys", "generate");
    JWKSet first = JWKSet.parse(generated.out());
    Path file = Files.writeString(directory.resolve("signing.json"), generated.out());
    Run rotated = execute(null, null, "keys", "generate", "--algorithm", "EdDSA", "--rotate", file.toString());
    JWKSet next = JWKSet.parse(rotated.out());

    assertEquals(0, generated.exitCode(), generated.err());
    assertEquals(1, first.getKeys().size());
    assertTrue(first.getKeys().get(0).isPrivate());
    assertEquals(2, next.getKeys().size());
    assertTrue(next.getKeys().get(0).isPrivate(), "the new key signs (from its sign_from on)");
    assertTrue(rotated.out().contains("\"sign_from\""), rotated.out());
    assertEquals(first.getKeys().get(0).getKeyID(), next.getKeys().get(1).getKeyID());
    // Published before it signs (docs/keys-and-rotation.md): until then the previous key still signs.
    assertTrue(next.getKeys().get(1).isPrivate(), "the previous key signs until the new key's time");
    assertTrue(rotated.out().contains("\"sign_from\""), "the new key is published first, and signs only from then");
    assertEquals(2, execute(null, null, "keys", "generate", "--algorithm", "HS256").exitCode());
  }

  @Test
  void migrateWaitReturnsOnceTheSchemaIsCurrentAndFailsWhenItNeverIs() throws Exception {
    Run current = run(null, "migrate", "--wait", "5s");
    assertEquals(0, current.exitCode(), current.err());
    assertEquals("schema is up to date", current.out().strip());

    try (TestDatabase empty = TestDatabase.create()) {
      Path emptyConfig = Files.writeString(directory.resolve("empty.yaml"),
        "database:\n  url: " + empty.url().value() + "\n  migrate_on_start: false\n");
      Run waited = execute(emptyConfig, null, "migrate", "--wait", "1s");
      assertEquals(1, waited.exitCode());
      assertTrue(waited.err().startsWith("tokengate: the schema still lacks V1__clients_users_signing_keys"),
        waited.err());

      ConfigException refused = assertThrows(ConfigException.class, () -> io.tokengate.Gateway.start(
        io.tokengate.config.ConfigLoader.load(emptyConfig, Map.of("TOKENGATE_HTTP_PORT", "0",
          "TOKENGATE_MANAGEMENT_PORT", "0")), Clock.systemUTC()).await());
      assertTrue(refused.getMessage().contains("run `tokengate migrate`"), refused.getMessage());
    }
  }

  @Test
  void anOperatorSeesAndLiftsALock() {
    run("a long enough password\n", "user", "create", "locked-out", "--password-stdin");
    // The CLI's key is the gateway's: the one kept in the database.
    byte[] key = io.tokengate.store.UsernameKeyStore.load(pool, Optional.empty(), io.tokengate.crypto.Keyring.empty()).await().digest("locked-out");
    pool.preparedQuery("INSERT INTO login_failures (username_hash, failures, last_failure_at, locked_until) "
        + "VALUES ($1, 12, now(), now() + interval '10 minutes')")
      .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(key))).await();

    Run locked = run(null, "user", "show", "locked-out");
    Run unlocked = run(null, "user", "unlock", "locked-out");
    Run after = run(null, "user", "show", "locked-out");

    assertTrue(locked.out().contains("failed attempts:   12"), locked.out());
    assertFalse(locked.out().contains("not locked"), locked.out());
    assertEquals("unlocked locked-out (its failed attempts are forgotten)", unlocked.out().strip());
    assertTrue(after.out().contains("locked until:      not locked"), after.out());
    assertEquals("locked-out had no failed attempts", run(null, "user", "unlock", "locked-out").out().strip());
  }

  @Test
  void aSecondFactorIsEnrolledOnceShownAndRemoved() throws Exception {
    run("a long enough password\n", "user", "create", "two-factor", "--password-stdin");
    Path withKey = Files.writeString(directory.resolve("totp.yaml"), "database:\n  url: " + database.url().value()
      + "\ntotp:\n  encryption_key: " + java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n");

    Run withoutKey = run(null, "user", "totp", "enroll", "two-factor");
    Run enrolled = execute(withKey, null, "user", "totp", "enroll", "two-factor");
    String stored = column("SELECT encode(totp_secret_sealed, 'escape') FROM users WHERE username = $1", "two-factor");
    Run shown = run(null, "user", "show", "two-factor");
    Run removed = run(null, "user", "totp", "remove", "two-factor");

    assertEquals(2, withoutKey.exitCode());
    assertEquals("tokengate: enrolling needs secrets.sealing_keys (or the deprecated totp.encryption_key) to be configured", withoutKey.err().strip());
    assertEquals(0, enrolled.exitCode(), enrolled.err());
    assertTrue(enrolled.out().startsWith("otpauth_uri: otpauth://totp/tokengate:two-factor?secret="), enrolled.out());
    String secret = enrolled.out().lines().filter(line -> line.startsWith("secret:")).findFirst().orElseThrow()
      .substring("secret:".length()).strip();
    assertTrue(enrolled.out().contains("secret=" + secret + "&"), "the URI carries the printed secret");
    assertFalse(stored.contains(secret), "only the sealed form is stored");
    assertTrue(shown.out().contains("second factor:     TOTP"), shown.out());
    assertEquals("removed the second factor of two-factor", removed.out().strip());
    assertTrue(run(null, "user", "show", "two-factor").out().contains("second factor:     none"));
  }
}
