package io.tokengate.client;

import io.tokengate.support.Http;
import io.tokengate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.tokengate.support.Http.basic;
import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client whose secret a human chose is checked with Argon2id, before the request is authenticated: a flood of
 * wrong secrets for it takes at most its small share of the hashing pool, and password logins keep the rest.
 */
@ExtendWith(VertxExtension.class)
class ChosenSecretFloodTest {

  private static final String PASSWORD = "correct horse battery staple";
  private static TestGateway gateway;
  private static String secret;
  private static WebClient web;

  @BeforeAll
  static void start(Vertx vertx) {
    gateway = TestGateway.start(Map.of("TOKENGATE_HASHING_THREADS", "2", "TOKENGATE_HASHING_QUEUE_SIZE", "4",
      "TOKENGATE_LOCKOUT_THRESHOLD", "0"));
    gateway.register(new ClientRegistration.Request("chosen", Set.of("client_credentials"), List.of(), List.of(),
      Optional.of("a secret a person picked"), Optional.empty()));
    secret = gateway.createClient("app", Set.of("password"), List.of(), List.of());
    gateway.createUser("alice", PASSWORD);
    web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()),
      new PoolOptions().setHttp1MaxSize(64));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void passwordLoginsKeepTheirPlacesWhileAWrongSecretFloodRuns() {
    List<Future<HttpResponse<Buffer>>> flood = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      flood.add(web.post("/oauth2/token").putHeader("Authorization", basic("chosen", "guess " + i))
        .sendForm(form("grant_type", "client_credentials")));
    }
    // Once the gateway has answered one of them, the flood has taken whatever places it can take.
    Future.any(flood).await();

    List<Future<HttpResponse<Buffer>>> logins = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      logins.add(web.post("/oauth2/token").putHeader("Authorization", basic("app", secret))
        .sendForm(form("grant_type", "password", "username", "alice", "password", PASSWORD)));
    }
    Future.join(logins).await();
    Future.join(flood).await();

    for (Future<HttpResponse<Buffer>> login : logins) {
      assertEquals(200, login.result().statusCode(), login.result().bodyAsString());
    }
    for (Future<HttpResponse<Buffer>> guess : flood) {
      int status = guess.result().statusCode();
      assertTrue(status == 401 || status == 503, guess.result().bodyAsString());
    }
  }
}
