package io.tokengate.store;

import io.tokengate.config.ConfigException;
import io.tokengate.crypto.Keyring;
import io.tokengate.crypto.Purpose;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * Where {@code oidc.pairwise_key} comes from when it is not configured: generated once and kept in the database
 * (sealed by the keyring when it has a key), the same for every replica, never rotated: a new key would change
 * every pairwise subject.
 */
public final class PairwiseKeyStore {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String OWNER = "singleton";

  private PairwiseKeyStore() {
  }

  /** @param configured {@code oidc.pairwise_key}, when set: it wins over the stored one */
  public static Future<byte[]> load(Pool pool, Optional<byte[]> configured, Keyring keyring) {
    if (configured.isPresent()) {
      return Future.succeededFuture(configured.get());
    }
    byte[] generated = new byte[32];
    RANDOM.nextBytes(generated);
    boolean seal = keyring.hasKeys();
    return pool.preparedQuery("INSERT INTO pairwise_key (singleton, key, key_sealed) VALUES (true, $1, $2) "
        + "ON CONFLICT DO NOTHING")
      .execute(Tuple.of(seal ? null : Buffer.buffer(generated),
        seal ? Buffer.buffer(keyring.seal(Purpose.PAIRWISE_KEY, OWNER, generated)) : null))
      .compose(inserted -> pool.query("SELECT key, key_sealed FROM pairwise_key WHERE singleton").execute())
      .map(rows -> stored(rows.iterator().next(), keyring));
  }

  private static byte[] stored(Row row, Keyring keyring) {
    if (row.getBuffer("key") != null) {
      return row.getBuffer("key").getBytes();
    }
    return keyring.open(Purpose.PAIRWISE_KEY, OWNER, row.getBuffer("key_sealed").getBytes())
      .orElseThrow(() -> new ConfigException("invalid configuration: secrets.sealing_keys has no key that opens the "
        + "oidc.pairwise_key stored in the database"));
  }
}
