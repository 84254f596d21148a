package io.tokengate.token;

import io.tokengate.support.Http;
import io.tokengate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A revocation that arrives while a rotation of the same family is in flight must not miss the successor the
 * rotation adds. The test holds the family's lock itself, lets a refresh and a revocation queue up behind it, and
 * then lets them go.
 */
@ExtendWith(VertxExtension.class)
class FamilyLockTest {

  private static final String PASSWORD = "correct horse battery staple";

  @Test
  void aRevocationRacingARotationEndsTheFamilyNewestTokenIncluded(Vertx vertx) {
    try (TestGateway gateway = TestGateway.start()) {
      Http http = new Http(vertx, gateway.port());
      Session session = startSession(gateway, http);
      String secret = session.secret();
      String first = session.refreshToken();
      String second = http.tokenWithBasic("app", secret, form("grant_type", "refresh_token", "refresh_token", first))
        .bodyAsJsonObject().getString("refresh_token");

      List<Future<HttpResponse<Buffer>>> queued = queuedBehindFamilyLocks(gateway, () -> List.of(
        refresh(http, secret, second),
        http.client().post("/oauth2/revoke").putHeader("Authorization", Http.basic("app", secret))
          .sendForm(form("token", first))));
      Future<HttpResponse<Buffer>> rotation = queued.get(0);
      Future<HttpResponse<Buffer>> revocation = queued.get(1);

      assertEquals(200, revocation.await().statusCode());
      HttpResponse<Buffer> rotated = rotation.await();
      if (rotated.statusCode() == 200) {
        // The rotation went first: its successor must have been revoked with the family.
        String newest = rotated.bodyAsJsonObject().getString("refresh_token");
        assertEquals(400, http.tokenWithBasic("app", secret, form("grant_type", "refresh_token", "refresh_token", newest))
          .statusCode());
      } else {
        assertEquals("invalid_grant", rotated.bodyAsJsonObject().getString("error"));
      }
      assertEquals("0", gateway.queryString(
        "SELECT count(*) FROM refresh_token_families WHERE revoked_at IS NULL"));
    }
  }

  /**
   * Two refreshes with the same token, queued behind the family's lock: the token's state is read (pipelined right
   * behind the lock) only once the lock is held, so the second sees the first's rotation — a replay, which ends the
   * family — and never rotates the token a second time.
   */
  @Test
  void twoRotationsOfOneTokenQueuedOnTheLockRotateItOnce(Vertx vertx) {
    try (TestGateway gateway = TestGateway.start()) {
      Http http = new Http(vertx, gateway.port());
      Session session = startSession(gateway, http);
      String secret = session.secret();
      String token = session.refreshToken();

      List<Future<HttpResponse<Buffer>>> refreshes = queuedBehindFamilyLocks(gateway,
        () -> List.of(refresh(http, secret, token), refresh(http, secret, token)));

      List<Integer> statuses = refreshes.stream().map(refresh -> refresh.await().statusCode()).sorted().toList();
      assertEquals(List.of(200, 400), statuses);
      assertEquals("1", gateway.queryString("SELECT count(*) FROM refresh_tokens WHERE state = 'rotated'"));
      assertEquals("0", gateway.queryString(
        "SELECT count(*) FROM refresh_token_families WHERE revoked_at IS NULL"));
    }
  }

  /** The client "app" (its secret) and the refresh token of a session of alice's with it. */
  private record Session(String secret, String refreshToken) {
  }

  private static Session startSession(TestGateway gateway, Http http) {
    String secret = gateway.createClient("app", Set.of("password", "refresh_token"), List.of(), List.of());
    gateway.createUser("alice", PASSWORD);
    return new Session(secret, http.tokenWithBasic("app", secret,
        form("grant_type", "password", "username", "alice", "password", PASSWORD))
      .bodyAsJsonObject().getString("refresh_token"));
  }

  /**
   * Holds every family's lock while {@code send} sends two requests, and lets go once both wait on it.
   *
   * @return what {@code send} sent
   */
  private static <T> T queuedBehindFamilyLocks(TestGateway gateway, Supplier<T> send) {
    SqlConnection holder = gateway.pool().getConnection().await();
    Transaction transaction = holder.begin().await();
    holder.preparedQuery("SELECT 1 FROM refresh_token_families FOR UPDATE").execute().await();
    T sent = send.get();
    awaitWaiters(gateway, 2);
    transaction.commit().await();
    holder.close().await();
    return sent;
  }

  private static Future<HttpResponse<Buffer>> refresh(Http http, String secret, String token) {
    return http.client().post("/oauth2/token")
      .putHeader("Authorization", Http.basic("app", secret))
      .sendForm(form("grant_type", "refresh_token", "refresh_token", token));
  }

  /** Polls PostgreSQL (each a real round trip) until that many sessions wait for a lock. */
  private static void awaitWaiters(TestGateway gateway, int waiting) {
    for (int attempt = 0; attempt < 10_000; attempt++) {
      long count = gateway.pool().preparedQuery(
          "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
        .execute(Tuple.tuple()).await().iterator().next().getLong(0);
      if (count >= waiting) {
        return;
      }
    }
    throw new AssertionError("the requests never queued behind the family lock");
  }
}
