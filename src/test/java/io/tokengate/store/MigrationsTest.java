package io.tokengate.store;

import io.tokengate.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationsTest {

  private TestDatabase database;
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    database = TestDatabase.create();
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
    database.close();
  }

  private Pool pool() {
    return PgBuilder.pool().connectingTo(database.url().connectOptions()).using(vertx).build();
  }

  @Test
  void migrationsApplyOnceAndThenNothingIsPending() {
    Pool pool = pool();

    assertEquals(List.of("V1__clients_users_signing_keys", "V2__refresh_tokens_revocations",
      "V3__client_keys_sender_constraints", "V4__lockout_totp_client_policies",
      "V5__sealed_signing_keys", "V6__password_grant_sunset_usage", "V7__security_review",
      "V8__signing_key_rotation", "V9__managed_registrations", "V10__user_sources",
      "V11__lockout_place_generations", "V13__claims_scopes_resources_oidc"), Migrations.apply(vertx, pool).await());
    assertEquals(List.of(), Migrations.apply(vertx, pool).await());
  }

  @Test
  void replicasStartingTogetherApplyEachMigrationExactlyOnce() throws Exception {
    List<Future<List<String>>> runs = List.of(
      Migrations.apply(vertx, pool()), Migrations.apply(vertx, pool()), Migrations.apply(vertx, pool()));

    Future.all(runs).await();

    // Each migration is its own transaction under the lock, so the replicas may share the work: what counts is
    // that every migration ran, and ran once.
    List<String> applied = runs.stream().flatMap(run -> run.result().stream()).sorted().toList();
    assertEquals(applied.stream().distinct().toList(), applied);
    assertEquals(Migrations.pending(vertx, pool()).await(), List.of());
    assertEquals(MigrationFiles.load().size(), applied.size());
  }

  @Test
  void aMigrationChangedAfterItWasAppliedIsRefused() {
    Pool pool = pool();
    Migrations.apply(vertx, pool).await();
    pool.query("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1").execute().await();

    IllegalStateException failure = assertThrows(IllegalStateException.class, () -> Migrations.apply(vertx, pool).await());
    assertTrue(failure.getMessage().contains("was changed after it was applied"), failure.getMessage());
  }
}
