package io.tokengate.store;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tokengate.config.Config;
import io.tokengate.config.ConfigException;
import io.tokengate.crypto.Digests;
import io.tokengate.support.Http;
import io.tokengate.support.TestClock;
import io.tokengate.support.TestDatabase;
import io.tokengate.support.TestGateway;
import io.tokengate.user.Argon2Hasher;
import io.tokengate.user.Totp;
import io.tokengate.user.TotpSecrets;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A database written by the previous release (schema V1..V4, secrets sealed in the version-1 envelope under the two
 * per-purpose keys, a signing key stored as a plain private JWK) upgrades in place: nothing is lost, and after
 * {@code keys reseal} everything is under the keyring alone.
 */
class UpgradeFromPreviousReleaseTest {

  private static final String PASSWORD = "correct horse battery staple";
  private static final String CLIENT_SECRET = "a client secret of the previous release, 43+ chars long";
  private static final byte[] CLIENT_KEY = random(32);
  private static final byte[] TOTP_KEY = random(32);
  private static final String KEYRING = "k1:" + Base64.getEncoder().encodeToString(random(32));

  private final TestClock clock = new TestClock();
  private final Totp totp = new Totp();
  private TestDatabase database;
  private Vertx vertx;
  private Pool pool;
  private UUID alice;
  private byte[] totpSecret;
  private ECKey oldSigningKey;
  private String oldRefreshToken;

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  /** The previous release's envelope, written here independently of tokengate's code. */
  private static byte[] sealVersionOne(byte[] key, String associatedData, byte[] secret) throws Exception {
    byte[] nonce = random(12);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
    cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
    byte[] encrypted = cipher.doFinal(secret);
    byte[] sealed = new byte[1 + 12 + encrypted.length];
    sealed[0] = 1;
    System.arraycopy(nonce, 0, sealed, 1, 12);
    System.arraycopy(encrypted, 0, sealed, 13, encrypted.length);
    return sealed;
  }

  @BeforeEach
  void writeAPreviousReleaseDatabase() throws Exception {
    database = TestDatabase.create();
    vertx = Vertx.vertx();
    pool = PgBuilder.pool().connectingTo(database.url().connectOptions()).using(vertx).build();
    pool.query("CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, "
      + "applied_at timestamptz NOT NULL DEFAULT now())").execute().await();
    for (Migration migration : MigrationFiles.load()) {
      if (migration.version() <= 4) {
        pool.query(migration.sql()).execute().await();
        sql("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", migration.version(),
          migration.name(), migration.checksum());
      }
    }
    Instant now = clock.instant();
    sql("INSERT INTO clients (client_id, secret_hash, auth_methods, grant_types, scopes, default_scopes, secret_sealed) "
        + "VALUES ('legacy-hmac', $1, '{client_secret_jwt}', '{password,refresh_token}', '{read}', '{read}', $2)",
      "$sha256$" + Digests.sha256Base64Url(CLIENT_SECRET.getBytes(StandardCharsets.UTF_8)),
      Buffer.buffer(sealVersionOne(CLIENT_KEY, "client_secret:legacy-hmac", CLIENT_SECRET.getBytes(StandardCharsets.UTF_8))));
    alice = UUID.randomUUID();
    totpSecret = TotpSecrets.newSecret();
    String hash = Argon2Hasher.of(new Config.Hashing(1, 0, 7168, 5, 1, "java")).hash(PASSWORD.getBytes(StandardCharsets.UTF_8));
    sql("INSERT INTO users (id, username, password_hash, totp_secret_sealed) VALUES ($1, 'alice', $2, $3)", alice, hash,
      Buffer.buffer(sealVersionOne(TOTP_KEY, "totp:" + alice, totpSecret)));
    oldSigningKey = new ECKeyGenerator(Curve.P_256).keyID("previous-release").generate();
    sql("INSERT INTO signing_keys (kid, algorithm, private_jwk, state) VALUES ('previous-release', 'ES256', $1, 'active')",
      oldSigningKey.toJSONString());
    UUID family = UUID.randomUUID();
    oldRefreshToken = Base64.getUrlEncoder().withoutPadding().encodeToString(random(32));
    sql("INSERT INTO refresh_token_families (family_id, client_id, user_id, scopes, created_at, expires_at) "
      + "VALUES ($1, 'legacy-hmac', $2, '{read}', $3, $4)", family, alice, at(now), at(now.plus(Duration.ofHours(8))));
    sql("INSERT INTO refresh_tokens (token_hash, family_id, state, issued_at) VALUES ($1, $2, 'active', $3)",
      Buffer.buffer(Digests.sha256(oldRefreshToken)), family, at(now));
  }

  @AfterEach
  void cleanUp() {
    vertx.close().await();
    database.close();
  }

  private void sql(String statement, Object... parameters) {
    pool.preparedQuery(statement).execute(Tuple.wrap(List.of(parameters))).await();
  }

  private static OffsetDateTime at(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private Map<String, String> settings(boolean legacyKeys, String keyring) {
    Map<String, String> settings = new HashMap<>();
    if (legacyKeys) {
      settings.put("TOKENGATE_CLIENTS_SECRET_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(CLIENT_KEY));
      settings.put("TOKENGATE_TOTP_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(TOTP_KEY));
    }
    settings.put("TOKENGATE_SECRETS_SEALING_KEYS", keyring);
    return settings;
  }

  private String assertion(TestGateway gateway) throws Exception {
    Instant now = clock.instant();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
      .issuer("legacy-hmac").subject("legacy-hmac").audience(gateway.config().endpointUrl("/oauth2/token"))
      .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(60))).jwtID(UUID.randomUUID().toString())
      .build());
    jwt.sign(new MACSigner(CLIENT_SECRET.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  private HttpResponse<Buffer> token(TestGateway gateway, String... parameters) throws Exception {
    MultiMap request = form(parameters);
    request.add("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    request.add("client_assertion", assertion(gateway));
    return new Http(vertx, gateway.port()).token(request);
  }

  private HttpResponse<Buffer> loginWithCode(TestGateway gateway) throws Exception {
    clock.advance(Duration.ofSeconds(30)); // a fresh time step: a code is accepted once
    return token(gateway, "grant_type", "password", "username", "alice", "password", PASSWORD,
      "otp", totp.code(totpSecret, Totp.timeStep(clock.instant())));
  }

  private JWKSet jwks(TestGateway gateway) throws Exception {
    return JWKSet.parse(new Http(vertx, gateway.port()).client().get("/oauth2/jwks").send().await().bodyAsString());
  }

  @Test
  void everySecretOfThePreviousReleaseStillWorksAndReSealsUnderTheKeyring() throws Exception {
    SignedJWT before = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("previous-release")
      .type(new JOSEObjectType("at+jwt")).build(), new JWTClaimsSet.Builder().issuer("http://localhost:8080")
      .subject(alice.toString()).expirationTime(Date.from(clock.instant().plusSeconds(300))).build());
    before.sign(new ECDSASigner(oldSigningKey));

    String refreshed;
    try (TestGateway upgraded = TestGateway.startOn(database, settings(true, KEYRING), clock)) {
      HttpResponse<Buffer> login = loginWithCode(upgraded);
      assertEquals(200, login.statusCode(), login.bodyAsString());
      HttpResponse<Buffer> refresh = token(upgraded, "grant_type", "refresh_token", "refresh_token", oldRefreshToken);
      assertEquals(200, refresh.statusCode(), refresh.bodyAsString());
      refreshed = refresh.bodyAsJsonObject().getString("refresh_token");
      assertTrue(before.verify(new ECDSAVerifier(jwks(upgraded).getKeyByKeyId("previous-release").toECKey())),
        "a token signed before the upgrade verifies against the published key");

      SealedRows.Resealed resealed = new SealedRows(pool).reseal(upgraded.config().keyring()).await();
      assertEquals(Map.of("client secrets", 1, "TOTP secrets", 1, "signing keys", 1, "username keys", 0,
        "pairwise keys", 0),
        resealed.resealed(), "the username key was generated sealed, the keyring being configured");
      assertEquals(0, resealed.unopenable());
      assertEquals(Map.of("client secrets", 0, "TOTP secrets", 0, "signing keys", 0, "username keys", 0,
        "pairwise keys", 0),
        new SealedRows(pool).reseal(upgraded.config().keyring()).await().resealed(), "a second run has nothing to do");
    }
    assertNull(pool.query("SELECT private_jwk FROM signing_keys").execute().await().iterator().next().getString(0),
      "no signing key stays unsealed");
    assertNull(pool.query("SELECT key FROM username_key").execute().await().iterator().next().getValue(0),
      "the username key is stored sealed");
    assertNull(pool.query("SELECT key FROM pairwise_key").execute().await().iterator().next().getValue(0),
      "the pairwise key is stored sealed");
    // Client secret, TOTP secret, signing key, username key, pairwise key.
    assertEquals(Map.of("k1", 5), new SealedRows(pool).countByKeyId().await());

    try (TestGateway keyringOnly = TestGateway.startOn(database, settings(false, KEYRING), clock)) {
      assertEquals(200, loginWithCode(keyringOnly).statusCode());
      assertEquals(200, token(keyringOnly, "grant_type", "refresh_token", "refresh_token", refreshed).statusCode());
      assertTrue(before.verify(new ECDSAVerifier(jwks(keyringOnly).getKeyByKeyId("previous-release").toECKey())));
    }

    ConfigException missing = assertThrows(ConfigException.class, () -> TestGateway.startOn(database,
      settings(false, "k2:" + Base64.getEncoder().encodeToString(random(32))), clock));
    assertEquals("invalid configuration: secrets.sealing_keys lacks the key 'k1' (5 rows) that sealed rows still need: "
      + "add it back (after the newest), or run `tokengate keys reseal` with it configured before removing it",
      missing.getMessage());
  }

  @Test
  void withoutAKeyringKeyNewSecretsKeepThePreviousFormatForReplicasNotYetUpgraded() throws Exception {
    try (TestGateway upgraded = TestGateway.startOn(database, settings(true, ""), clock)) {
      assertEquals(200, loginWithCode(upgraded).statusCode());
      byte[] enrolled = upgraded.config().keyring().seal(io.tokengate.crypto.Purpose.TOTP_SECRET, alice.toString(),
        TotpSecrets.newSecret());
      assertEquals(1, enrolled[0], "version 1, readable by the previous release");
      assertTrue(new JsonObject(jwks(upgraded).toString()).getJsonArray("keys").size() >= 1);
    }
  }
}
