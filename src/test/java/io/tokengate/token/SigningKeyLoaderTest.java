package io.tokengate.token;

import io.tokengate.config.Config;
import io.tokengate.store.Migrations;
import io.tokengate.store.SigningKeysTable;
import io.tokengate.support.TestDatabase;
import io.tokengate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SigningKeyLoaderTest {

  @Test
  void replicasStartingTogetherAgreeOnOneGeneratedKey() {
    Vertx vertx = Vertx.vertx();
    try (TestDatabase database = TestDatabase.create()) {
      Config config = TestGateway.config(database, Map.of());
      List<Pool> pools = List.of(pool(vertx, database), pool(vertx, database), pool(vertx, database));
      Migrations.apply(vertx, pools.get(0)).await();

      List<Future<SigningKeys>> replicas = pools.stream()
        .map(pool -> SigningKeyLoader.load(vertx, new SigningKeysTable(pool), config.tokens(), config.keyring())).toList();
      Future.all(replicas).await();

      String kid = replicas.get(0).result().active().kid();
      for (Future<SigningKeys> replica : replicas) {
        assertEquals(kid, replica.result().active().kid());
      }
      assertEquals("1", queryCount(pools.get(0)));
    } finally {
      vertx.close().await();
    }
  }

  private static Pool pool(Vertx vertx, TestDatabase database) {
    return PgBuilder.pool().connectingTo(database.url().connectOptions()).using(vertx).build();
  }

  private static String queryCount(Pool pool) {
    return String.valueOf(pool.query("SELECT count(*) FROM signing_keys").execute().await().iterator().next().getLong(0));
  }
}
