package io.tokengate.crypto;

import io.tokengate.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The digests are stored and compared across versions and with PostgreSQL: their bytes must never change. */
class DigestsTest {

  @Test
  void sha256MatchesTheStandardVector() {
    // FIPS 180-2, appendix B.1
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Digests.sha256Hex("abc"));
    assertEquals("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0", Digests.sha256Base64Url("abc".getBytes()));
  }

  @Test
  void aUsernameDigestEqualsPostgresqlsForLockoutKeys() {
    String username = "ålice\u00e9*)(uid=*";
    Vertx vertx = Vertx.vertx();
    try (TestDatabase database = TestDatabase.create()) {
      Pool pool = PgBuilder.pool().connectingTo(database.url().connectOptions()).using(vertx).build();
      byte[] fromPostgresql = pool.preparedQuery("SELECT sha256(convert_to($1, 'UTF8'))").execute(Tuple.of(username))
        .await().iterator().next().getBuffer(0).getBytes();

      assertArrayEquals(fromPostgresql, Digests.sha256(username));
      assertEquals(HexFormat.of().formatHex(fromPostgresql), Digests.sha256Hex(username));
    } finally {
      vertx.close().await();
    }
  }
}
