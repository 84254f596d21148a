package io.tokengate;

import io.tokengate.support.Http;
import io.tokengate.support.Metrics;
import io.tokengate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Stopping lets every accepted request finish with the hashing pool and the database still there: one request
 * being hashed and one waiting in the queue both get their tokens, and new connections are refused afterwards.
 */
@ExtendWith(VertxExtension.class)
class GracefulShutdownTest {

  private static final String PASSWORD = "correct horse battery staple";

  @Test
  void requestsInFlightWhenStopBeginsStillGetTheirTokens(Vertx vertx) {
    try (TestGateway gateway = TestGateway.start(Map.of(
      "TOKENGATE_HASHING_THREADS", "1",
      "TOKENGATE_HASHING_QUEUE_SIZE", "4",
      "TOKENGATE_HASHING_ARGON2_MEMORY_KIB", "65536",
      "TOKENGATE_HTTP_SHUTDOWN_GRACE", "20s"))) {
      Http api = new Http(vertx, gateway.port());
      Http management = new Http(vertx, gateway.managementPort());
      String secret = gateway.createClient("app", Set.of("password"), List.of(), List.of());
      gateway.createUser("alice", PASSWORD);

      List<Future<HttpResponse<Buffer>>> inFlight = List.of(login(api, secret), login(api, secret));
      Metrics.awaitLine(management, "tokengate_hashing_queue_depth 1.0");
      Future<Void> stopped = gateway.gateway().stop();

      for (Future<HttpResponse<Buffer>> request : inFlight) {
        assertEquals(200, request.await().statusCode());
      }
      stopped.await();
      assertThrows(Exception.class, () -> login(api, secret).await(), "the port is closed");
    }
  }

  private static Future<HttpResponse<Buffer>> login(Http api, String secret) {
    return api.client().post("/oauth2/token").putHeader("Authorization", Http.basic("app", secret))
      .sendForm(form("grant_type", "password", "username", "alice", "password", PASSWORD));
  }
}
