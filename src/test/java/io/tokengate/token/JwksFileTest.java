package io.tokengate.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.tokengate.support.Http;
import io.tokengate.support.Metrics;
import io.tokengate.support.TestClock;
import io.tokengate.support.TestGateway;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keys from a mounted JWKS file (a Kubernetes Secret): the first private key that fits signs, all are published. */
@ExtendWith(VertxExtension.class)
class JwksFileTest {

  @TempDir
  Path directory;

  @Test
  void theFirstFittingPrivateKeySignsAndEveryKeyIsPublished(Vertx vertx) throws Exception {
    JWK previous = KeyGenerator.generate(JWSAlgorithm.ES256).toPublicJWK();
    JWK rsa = KeyGenerator.generate(JWSAlgorithm.RS256);
    JWK active = KeyGenerator.generate(JWSAlgorithm.ES256);
    Path file = Files.writeString(directory.resolve("jwks.json"), new JWKSet(List.of(previous, rsa, active)).toString(false));

    try (TestGateway gateway = TestGateway.start(Map.of("TOKENGATE_TOKENS_JWKS_FILE", file.toString()))) {
      Http http = new Http(vertx, gateway.port());
      String secret = gateway.createClient("app", Set.of("password"), List.of(), List.of());
      gateway.createUser("alice", "correct horse battery staple");
      String token = http.tokenWithBasic("app", secret,
          form("grant_type", "password", "username", "alice", "password", "correct horse battery staple"))
        .bodyAsJsonObject().getString("access_token");
      JWKSet published = JWKSet.parse(http.get("/oauth2/jwks").bodyAsString());

      assertEquals(active.getKeyID(), SignedJWT.parse(token).getHeader().getKeyID());
      assertEquals(3, published.getKeys().size());
      assertTrue(published.getKeys().stream().noneMatch(JWK::isPrivate));
      assertEquals("0", gateway.queryString("SELECT count(*) FROM signing_keys"), "no key generated");
    }
  }

  @Test
  void aFileWithoutAUsablePrivateKeyStopsStartUpWithAClearMessage() throws Exception {
    Path publicOnly = Files.writeString(directory.resolve("public.json"),
      new JWKSet(KeyGenerator.generate(JWSAlgorithm.ES256).toPublicJWK()).toString(false));

    IllegalStateException failure = assertThrows(IllegalStateException.class, () ->
      SigningKeyLoader.fromFile(publicOnly, JWSAlgorithm.ES256));
    assertTrue(failure.getMessage().contains("no private key"), failure.getMessage());
    assertFalse(assertThrows(IllegalStateException.class, () ->
      SigningKeyLoader.fromFile(directory.resolve("missing.json"), JWSAlgorithm.ES256)).getMessage().isEmpty());
  }

  @Test
  void aReplacedFileIsTakenOverWithoutARestartAndABrokenOneIsIgnored(Vertx vertx) throws Exception {
    JWK first = KeyGenerator.generate(JWSAlgorithm.ES256);
    Path file = directory.resolve("jwks.json");
    replace(file, new JWKSet(first).toString(false));

    try (TestGateway gateway = TestGateway.start(Map.of("TOKENGATE_TOKENS_JWKS_FILE", file.toString(),
      "TOKENGATE_TOKENS_JWKS_RELOAD_INTERVAL", "100ms"))) {
      Http http = new Http(vertx, gateway.port());
      Http management = new Http(vertx, gateway.managementPort());
      String secret = gateway.createClient("app", Set.of("client_credentials"), List.of(), List.of());
      String before = token(http, secret);

      // A rotation as an operator does it: the next key signs, the previous one stays published for its tokens.
      JWK next = KeyGenerator.generate(JWSAlgorithm.ES256);
      replace(file, new JWKSet(List.of(next, first.toPublicJWK())).toString(false));
      Metrics.awaitLine(management, "tokengate_signing_keys_reloads_total{outcome=\"reloaded\"} 1.0");

      assertEquals(next.getKeyID(), SignedJWT.parse(token(http, secret)).getHeader().getKeyID());
      assertEquals(2, JWKSet.parse(http.get("/oauth2/jwks").bodyAsString()).getKeys().size());
      assertTrue(introspect(http, secret, before), "a token signed by the previous key still verifies");

      replace(file, "{\"keys\": [ broken");
      Metrics.awaitLine(management, "tokengate_signing_keys_reloads_total{outcome=\"rejected\"} 1.0");
      assertEquals(next.getKeyID(), SignedJWT.parse(token(http, secret)).getHeader().getKeyID(), "the keys in use stay");
    }
  }

  @Test
  void aKeyMarkedSignFromIsPublishedAtOnceAndSignsOnlyFromThatTimeWithoutTheMarker(Vertx vertx) throws Exception {
    TestClock clock = new TestClock();
    JWK current = KeyGenerator.generate(JWSAlgorithm.ES256);
    JWK next = KeyGenerator.generate(JWSAlgorithm.ES256);
    Map<String, Object> marked = new java.util.LinkedHashMap<>(next.toJSONObject());
    marked.put("sign_from", clock.instant().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS).toString());
    Path file = Files.writeString(directory.resolve("jwks.json"), JSONObjectUtils.toJSONString(
      Map.of("keys", List.of(marked, current.toJSONObject()))));

    try (TestGateway gateway = TestGateway.start(Map.of("TOKENGATE_TOKENS_JWKS_FILE", file.toString()), clock)) {
      Http http = new Http(vertx, gateway.port());
      String secret = gateway.createClient("app", Set.of("client_credentials"), List.of(), List.of());
      String published = http.get("/oauth2/jwks").bodyAsString();

      assertEquals(current.getKeyID(), SignedJWT.parse(token(http, secret)).getHeader().getKeyID());
      assertEquals(2, JWKSet.parse(published).getKeys().size(), "the next key is published before it signs");
      assertFalse(published.contains("sign_from"), published);
      clock.advance(Duration.ofHours(1));
      assertEquals(next.getKeyID(), SignedJWT.parse(token(http, secret)).getHeader().getKeyID(),
        "it signs from its time on, without a change of the file");
    }
  }

  @Test
  void aFileWhoseOnlyKeySignsLaterIsRefused() throws Exception {
    Map<String, Object> marked = new java.util.LinkedHashMap<>(KeyGenerator.generate(JWSAlgorithm.ES256).toJSONObject());
    marked.put("sign_from", "2999-01-01T00:00:00Z");
    Path file = Files.writeString(directory.resolve("later.json"),
      JSONObjectUtils.toJSONString(Map.of("keys", List.of(marked))));

    IllegalStateException failure = assertThrows(IllegalStateException.class, () ->
      SigningKeyLoader.fromFile(file, JWSAlgorithm.ES256));
    assertTrue(failure.getMessage().contains("may sign now"), failure.getMessage());
  }

  /** As Kubernetes updates a mounted Secret: the new content appears at once, never half-written. */
  private static void replace(Path file, String content) throws Exception {
    Path temporary = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), content);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String token(Http http, String secret) {
    return http.tokenWithBasic("app", secret, form("grant_type", "client_credentials"))
      .bodyAsJsonObject().getString("access_token");
  }

  private static boolean introspect(Http http, String secret, String token) {
    return http.client().post("/oauth2/introspect").putHeader("Authorization", Http.basic("app", secret))
      .sendForm(form("token", token)).await().bodyAsJsonObject().getBoolean("active");
  }
}
