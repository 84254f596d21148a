package io.tokengate.store;

import io.tokengate.config.ConfigException;
import io.tokengate.crypto.Keyring;
import io.tokengate.crypto.Purpose;
import io.tokengate.user.UsernameDigests;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * The one place {@code users.username_key} comes from when it is not configured: generated once and kept in the
 * database, the same for every replica, and never rotated (a new key would forget every lockout count).
 * It is sealed by the keyring when {@code secrets.sealing_keys} has a key (else stored as is until
 * {@code keys reseal} seals it, like a generated signing key).
 * <p>
 * The first start that establishes the key also re-keys the lockout counts of existing users from the unkeyed
 * SHA-256 of earlier versions, in the same transaction, so that they keep counting through the upgrade. Counts of
 * usernames that are no user cannot be re-keyed (the SHA-256 cannot be reversed): they protect no account, and
 * expire with {@code lockout.reset_after}.
 */
public final class UsernameKeyStore {

  private static final SecureRandom RANDOM = new SecureRandom();
  /** What the sealed key is bound to: there is one. */
  public static final String OWNER = "singleton";

  private UsernameKeyStore() {
  }

  /** @param configured {@code users.username_key}, when set: it wins over the stored one */
  public static Future<UsernameDigests> load(Pool pool, Optional<byte[]> configured, Keyring keyring) {
    byte[] generated = new byte[32];
    RANDOM.nextBytes(generated);
    boolean seal = keyring.hasKeys();
    return pool.withTransaction(connection -> connection
      // Race-safe across replicas: the first insert wins, and everyone reads the winner under its row lock.
      .preparedQuery("INSERT INTO username_key (singleton, key, key_sealed) VALUES (true, $1, $2) ON CONFLICT DO NOTHING")
      .execute(Tuple.of(seal ? null : Buffer.buffer(generated),
        seal ? Buffer.buffer(keyring.seal(Purpose.USERNAME_KEY, OWNER, generated)) : null))
      .compose(inserted -> connection
        .preparedQuery("SELECT key, key_sealed, rekeyed_at FROM username_key WHERE singleton FOR UPDATE").execute())
      .compose(rows -> {
        Row row = rows.iterator().next();
        UsernameDigests digests = new UsernameDigests(configured.orElseGet(() -> stored(row, keyring)));
        if (row.getValue("rekeyed_at") != null) {
          return Future.succeededFuture(digests);
        }
        return connection.preparedQuery("""
              UPDATE login_failures lf SET username_hash = %s
              FROM users u WHERE lf.username_hash = sha256(convert_to(u.username, 'UTF8'))"""
            .formatted(UsernameDigests.sql("$1", "$2", "u.username")))
          .execute(Tuple.of(Buffer.buffer(digests.innerPad()), Buffer.buffer(digests.outerPad())))
          .compose(rekeyed -> connection.query("UPDATE username_key SET rekeyed_at = now()").execute())
          .map(digests);
      }));
  }

  private static byte[] stored(Row row, Keyring keyring) {
    if (row.getBuffer("key") != null) {
      return row.getBuffer("key").getBytes();
    }
    return keyring.open(Purpose.USERNAME_KEY, OWNER, row.getBuffer("key_sealed").getBytes())
      .orElseThrow(() -> new ConfigException("invalid configuration: secrets.sealing_keys has no key that opens the "
        + "users.username_key stored in the database"));
  }
}
