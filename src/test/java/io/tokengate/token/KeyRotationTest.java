package io.tokengate.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.tokengate.config.Config;
import io.tokengate.store.SigningKeysTable;
import io.tokengate.support.Http;
import io.tokengate.support.TestClock;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * keys rotate on database-generated keys, on two replicas, watched by a resource server that caches the JWKS for
 * five minutes: the next key is published at once, signs only after tokens.key_publication_delay, and the retired
 * key stays published until the tokens it signed have expired. Replicas read the database when told to (the reload
 * timer's work), some of them late, as in production.
 */
@ExtendWith(VertxExtension.class)
class KeyRotationTest {

  private static final Map<String, String> SETTINGS = Map.of("TOKENGATE_TOKENS_KEY_PUBLICATION_DELAY", "1h",
    "TOKENGATE_TOKENS_ACCESS_TOKEN_LIFETIME", "5m");

  @Test
  void aCachingResourceServerSeesNoVerificationFailureAcrossARotationOnTwoReplicas(Vertx vertx) throws Exception {
    TestClock clock = new TestClock();
    try (TestGateway a = TestGateway.start(SETTINGS, clock);
         TestGateway b = TestGateway.startOn(a.database(), SETTINGS, clock)) {
      String secret = a.createClient("api-job", Set.of("client_credentials"), List.of(), List.of());
      List<Http> replicas = List.of(new Http(vertx, a.port()), new Http(vertx, b.port()));
      CachingResourceServer resourceServer = new CachingResourceServer(replicas, clock, Duration.ofMinutes(5));
      List<String> failures = new ArrayList<>();
      Set<String> kids = new LinkedHashSet<>();
      Runnable step = () -> replicas.forEach(replica -> {
        String token = replica.tokenWithBasic("api-job", secret, form("grant_type", "client_credentials"))
          .bodyAsJsonObject().getString("access_token");
        kids.add(kid(token));
        if (!resourceServer.accepts(token)) {
          failures.add(kid(token) + " at " + clock.instant());
        }
      });
      step.run();
      String first = a.gateway().reloadSigningKeys().compose(x -> b.gateway().reloadSigningKeys())
        .map(x -> kids.iterator().next()).await();

      KeyRecord next = rotate(a.config(), a, clock);
      a.gateway().reloadSigningKeys().await(); // replica b has not read the database yet
      step.run();
      assertTrue(published(replicas.get(0)).contains(next.kid()), "the next key is published at once");
      clock.advance(Duration.ofMinutes(10));
      b.gateway().reloadSigningKeys().await();
      step.run(); // the resource server's cache expired: it fetches the JWKS with both keys
      clock.advance(Duration.ofMinutes(50)); // tokens.key_publication_delay has passed
      step.run(); // both replicas sign with the next key, before either has reloaded
      clock.advance(Duration.ofMinutes(1));
      a.gateway().reloadSigningKeys().compose(x -> b.gateway().reloadSigningKeys()).await();
      step.run();
      assertTrue(published(replicas.get(1)).contains(first), "the retired key verifies the tokens it signed");
      clock.advance(Duration.ofMinutes(5));
      a.gateway().reloadSigningKeys().compose(x -> b.gateway().reloadSigningKeys()).await();
      step.run();

      assertEquals(List.of(), failures);
      assertEquals(List.of(first, next.kid()), List.copyOf(kids), "signed with the first key, then the next one");
      for (Http replica : replicas) {
        assertEquals(Set.of(next.kid()), published(replica), "the retired key left once its tokens expired");
      }
    }
  }

  @Test
  void signingWithTheNewKeyAtOnceWouldBreakTheSameResourceServer(Vertx vertx) throws Exception {
    TestClock clock = new TestClock();
    Map<String, String> immediate = Map.of("TOKENGATE_TOKENS_KEY_PUBLICATION_DELAY", "0s");
    try (TestGateway gateway = TestGateway.start(immediate, clock)) {
      String secret = gateway.createClient("api-job", Set.of("client_credentials"), List.of(), List.of());
      Http http = new Http(vertx, gateway.port());
      CachingResourceServer resourceServer = new CachingResourceServer(List.of(http), clock, Duration.ofMinutes(5));
      assertTrue(resourceServer.accepts(token(http, secret)));

      rotate(gateway.config(), gateway, clock);
      gateway.gateway().reloadSigningKeys().await();

      assertFalse(resourceServer.accepts(token(http, secret)),
        "the check above is only worth something if the resource server really caches");
    }
  }

  @Test
  void aSecondRotationWaitsUntilTheFirstKeyHasTakenOver() throws Exception {
    TestClock clock = new TestClock();
    try (TestGateway gateway = TestGateway.start(SETTINGS, clock)) {
      rotate(gateway.config(), gateway, clock);

      IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> rotate(gateway.config(), gateway, clock));
      assertTrue(refused.getMessage().contains("rotate again after"), refused.getMessage());
      clock.advance(Duration.ofHours(1));
      KeyRecord third = rotate(gateway.config(), gateway, clock);
      assertEquals("next", third.state());
      assertEquals("1", gateway.queryString("SELECT count(*) FROM signing_keys WHERE state = 'active'"));
    }
  }

  private static KeyRecord rotate(Config config, TestGateway gateway, TestClock clock) throws Exception {
    JWK key = KeyGenerator.generate(JWSAlgorithm.ES256);
    return new DatabaseKeys(new SigningKeysTable(gateway.pool()), config.keyring(), clock, config.tokens().accessTokenLifetime())
      .rotate(key, JWSAlgorithm.ES256, config.tokens().keyPublicationDelay()).await();
  }

  private static String token(Http http, String secret) {
    return http.tokenWithBasic("api-job", secret, form("grant_type", "client_credentials"))
      .bodyAsJsonObject().getString("access_token");
  }

  private static Set<String> published(Http replica) throws ParseException {
    Set<String> kids = new LinkedHashSet<>();
    JWKSet.parse(replica.get("/oauth2/jwks").bodyAsString()).getKeys().forEach(key -> kids.add(key.getKeyID()));
    return kids;
  }

  private static String kid(String token) {
    try {
      return SignedJWT.parse(token).getHeader().getKeyID();
    } catch (ParseException e) {
      throw new IllegalStateException(e);
    }
  }
}
