package io.tokengate.store;

import io.tokengate.support.Http;
import io.tokengate.support.PgBouncer;
import io.tokengate.support.TestDatabase;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Two replicas behind a real PgBouncer in transaction pooling mode with its default settings (no
 * ignore_startup_parameters, no prepared-statement tracking): they migrate a fresh database at the same time, each
 * migration once, and then serve every grant, a refresh rotated on one replica and reused on the other included.
 */
@ExtendWith(VertxExtension.class)
class PgBouncerTransactionModeTest {

  private static final String PASSWORD = "correct horse battery staple";

  private static TestDatabase database;
  private static PgBouncer bouncer;
  private static TestGateway first;
  private static TestGateway second;
  private static String secret;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    bouncer = PgBouncer.transactionMode(database.url().withDatabase("postgres"));
    Map<String, String> settings = Map.of(
      "TOKENGATE_DATABASE_URL", bouncer.through(database.url()).value(),
      "TOKENGATE_DATABASE_POOLER_MODE", "transaction");
    // Both start on the empty database at once: both run the migrations, which take turns.
    CompletableFuture<TestGateway> a = CompletableFuture.supplyAsync(() -> TestGateway.startOn(database, settings));
    CompletableFuture<TestGateway> b = CompletableFuture.supplyAsync(() -> TestGateway.startOn(database, settings));
    first = a.join();
    second = b.join();
    secret = first.createClient("app", Set.of("password", "refresh_token", "client_credentials"), List.of("read"),
      List.of());
    first.createUser("alice", PASSWORD);
  }

  @AfterAll
  static void stop() {
    try {
      if (second != null) {
        second.close();
      }
      if (first != null) {
        first.close();
      }
    } finally {
      bouncer.close();
      database.close();
    }
  }

  @Test
  void bothReplicasStartedAndEachMigrationRanOnce() {
    assertEquals(first.queryString("SELECT count(*) FROM schema_migrations"),
      first.queryString("SELECT count(DISTINCT version) FROM schema_migrations"));
    assertNotEquals("0", first.queryString("SELECT count(*) FROM schema_migrations"));
    assertFalse(bouncer.log().contains("unsupported startup parameter"), bouncer.log());
  }

  @Test
  void passwordRefreshAndClientCredentialsWorkThroughThePooler(Vertx vertx) {
    Http one = new Http(vertx, first.port());
    Http two = new Http(vertx, second.port());
    for (int round = 0; round < 20; round++) {
      HttpResponse<Buffer> login = one.tokenWithBasic("app", secret,
        form("grant_type", "password", "username", "alice", "password", PASSWORD));
      assertEquals(200, login.statusCode(), login.bodyAsString());
      String refresh = login.bodyAsJsonObject().getString("refresh_token");

      HttpResponse<Buffer> rotated = two.tokenWithBasic("app", secret,
        form("grant_type", "refresh_token", "refresh_token", refresh));
      assertEquals(200, rotated.statusCode(), rotated.bodyAsString());
      HttpResponse<Buffer> reused = one.tokenWithBasic("app", secret,
        form("grant_type", "refresh_token", "refresh_token", refresh));
      assertEquals(400, reused.statusCode(), reused.bodyAsString());
      assertEquals("invalid_grant", reused.bodyAsJsonObject().getString("error"));

      HttpResponse<Buffer> machine = two.tokenWithBasic("app", secret, form("grant_type", "client_credentials"));
      assertEquals(200, machine.statusCode(), machine.bodyAsString());
    }
  }

  @Test
  void aWrongPasswordIsStillAWrongPassword(Vertx vertx) {
    HttpResponse<Buffer> refused = new Http(vertx, second.port()).tokenWithBasic("app", secret,
      form("grant_type", "password", "username", "alice", "password", "not the password"));
    assertEquals(400, refused.statusCode(), refused.bodyAsString());
    JsonObject body = refused.bodyAsJsonObject();
    assertEquals("invalid_grant", body.getString("error"));
  }
}
