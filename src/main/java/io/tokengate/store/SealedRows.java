package io.tokengate.store;

import io.tokengate.config.ConfigException;
import io.tokengate.crypto.Keyring;
import io.tokengate.crypto.Purpose;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The rows that hold sealed secrets: client secrets, TOTP secrets and signing keys. Counts them by the key id their
 * sealed values carry (read by PostgreSQL from the envelope's header, without a key), and re-seals them under the
 * keyring's newest key ({@code keys reseal}).
 */
public final class SealedRows {

  /**
   * One column of sealed values: its table, the row's key, the column, what the seal is bound to, and the column that
   * may hold the same secret unsealed (written before a keyring key was configured), which reseal empties.
   */
  private record Kind(String name, String table, String id, String column, Purpose purpose, String plainColumn) {
  }

  private static final List<Kind> KINDS = List.of(
    new Kind("client secrets", "clients", "client_id", "secret_sealed", Purpose.CLIENT_SECRET, null),
    new Kind("TOTP secrets", "users", "id", "totp_secret_sealed", Purpose.TOTP_SECRET, null),
    new Kind("signing keys", "signing_keys", "kid", "private_jwk_sealed", Purpose.SIGNING_KEY, "private_jwk"),
    // One row; its seal is bound to the owner "singleton" (UsernameKeyStore.OWNER).
    new Kind("username keys", "username_key", "'singleton'", "key_sealed", Purpose.USERNAME_KEY, "key"),
    // One row too, bound to "singleton" (PairwiseKeyStore).
    new Kind("pairwise keys", "pairwise_key", "'singleton'", "key_sealed", Purpose.PAIRWISE_KEY, "key"));
  private static final int BATCH = 100;

  /** How many rows of each kind were re-sealed, and how many no configured key opens. */
  public record Resealed(Map<String, Integer> resealed, int unopenable) {
  }

  private final Pool pool;

  public SealedRows(Pool pool) {
    this.pool = pool;
  }

  private static String keyIdOf(String column) {
    return "convert_from(substring(" + column + " from 3 for get_byte(" + column + ", 1)), 'UTF8')";
  }

  /** Rows by the id of the key they are sealed under (version-2 values only), e.g. {k1=12, k0=3}. */
  public Future<Map<String, Integer>> countByKeyId() {
    List<String> parts = KINDS.stream().map(kind -> "SELECT " + keyIdOf(kind.column()) + " AS key_id FROM "
      + kind.table() + " WHERE get_byte(" + kind.column() + ", 0) = 2").toList();
    return pool.query("SELECT key_id, count(*)::int AS n FROM (" + String.join(" UNION ALL ", parts)
        + ") sealed GROUP BY key_id").execute()
      .map(rows -> {
        Map<String, Integer> counts = new TreeMap<>();
        rows.forEach(row -> counts.put(row.getString("key_id"), row.getInteger("n")));
        return counts;
      });
  }

  /**
   * Refuses a keyring that lacks a key some rows are sealed under: those secrets would not open, one request at a
   * time. Checked by key id, without decrypting anything.
   */
  public Future<Void> requireKeysFor(Keyring keyring) {
    return countByKeyId().compose(counts -> {
      List<String> missing = counts.entrySet().stream().filter(entry -> !keyring.keyIds().contains(entry.getKey()))
        .map(entry -> "'" + entry.getKey() + "' (" + entry.getValue() + " rows)").toList();
      return missing.isEmpty() ? Future.<Void>succeededFuture() : Future.failedFuture(new ConfigException(
        "invalid configuration: secrets.sealing_keys lacks the key " + String.join(", ", missing)
          + " that sealed rows still need: add it back (after the newest), or run `tokengate keys reseal` with it "
          + "configured before removing it"));
    });
  }

  /** Re-seals every sealed value (and every unsealed signing key) not yet under the newest key, in small batches. */
  public Future<Resealed> reseal(Keyring keyring) {
    String newest = keyring.sealingKeyId()
      .orElseThrow(() -> new IllegalArgumentException("keys reseal needs secrets.sealing_keys to be configured"));
    Map<String, Integer> resealed = new TreeMap<>();
    int[] unopenable = {0};
    Future<Void> chain = Future.succeededFuture();
    for (Kind kind : KINDS) {
      chain = chain.compose(done -> resealKind(kind, keyring, newest, "", resealed, unopenable));
    }
    return chain.map(done -> new Resealed(resealed, unopenable[0]));
  }

  /** One batch after {@code after} (keyset pagination, so rows that do not open are passed, not retried forever). */
  private Future<Void> resealKind(Kind kind, Keyring keyring, String newest, String after, Map<String, Integer> resealed,
                                  int[] unopenable) {
    String stale = kind.plainColumn() != null
      ? "(" + kind.plainColumn() + " IS NOT NULL OR " + keyIdOf(kind.column()) + " IS DISTINCT FROM $1)"
      : "(" + kind.column() + " IS NOT NULL AND (get_byte(" + kind.column() + ", 0) <> 2 OR "
      + keyIdOf(kind.column()) + " <> $1))";
    String select = "SELECT " + kind.id() + "::text AS owner, " + kind.column() + " AS sealed"
      + (kind.plainColumn() != null ? ", " + kind.plainColumn() + " AS plain" : "") + " FROM " + kind.table()
      + " WHERE " + stale + " AND " + kind.id() + "::text > $2 ORDER BY " + kind.id() + "::text LIMIT " + BATCH;
    return pool.preparedQuery(select).execute(Tuple.of(newest, after)).compose(rows -> {
      List<Future<Boolean>> updates = new ArrayList<>();
      String last = after;
      for (Row row : rows) {
        last = row.getString("owner");
        Optional<byte[]> secret = plain(kind, row)
          .or(() -> keyring.open(kind.purpose(), row.getString("owner"), bytes(row.getBuffer("sealed"))));
        if (secret.isEmpty()) {
          unopenable[0]++;
          continue;
        }
        updates.add(update(kind, row, keyring.seal(kind.purpose(), row.getString("owner"), secret.get())));
      }
      String next = last;
      return Future.all(updates).compose(all -> {
        int count = (int) updates.stream().filter(Future::result).count();
        resealed.merge(kind.name(), count, Integer::sum);
        return rows.size() < BATCH ? Future.succeededFuture()
          : resealKind(kind, keyring, newest, next, resealed, unopenable);
      });
    });
  }

  /** The secret as stored unsealed, if it is: a private JWK as text, a username key as bytes. */
  private static Optional<byte[]> plain(Kind kind, Row row) {
    if (kind.plainColumn() == null) {
      return Optional.empty();
    }
    Object value = row.getValue("plain");
    return value instanceof String text ? Optional.of(text.getBytes(StandardCharsets.UTF_8))
      : value instanceof Buffer buffer ? Optional.of(buffer.getBytes()) : Optional.empty();
  }

  /** Only if the row still holds what was read: a secret changed meanwhile is left to its new value. */
  private Future<Boolean> update(Kind kind, Row row, byte[] sealed) {
    String where = " WHERE " + kind.id() + "::text = $1 AND " + kind.column() + " IS NOT DISTINCT FROM $3";
    if (kind.plainColumn() == null) {
      return pool.preparedQuery("UPDATE " + kind.table() + " SET " + kind.column() + " = $2" + where)
        .execute(Tuple.of(row.getString("owner"), Buffer.buffer(sealed), row.getBuffer("sealed")))
        .map(rows -> rows.rowCount() == 1);
    }
    return pool.preparedQuery("UPDATE " + kind.table() + " SET " + kind.plainColumn() + " = NULL, " + kind.column()
        + " = $2" + where + " AND " + kind.plainColumn() + " IS NOT DISTINCT FROM $4")
      .execute(Tuple.of(row.getString("owner"), Buffer.buffer(sealed), row.getBuffer("sealed"), row.getValue("plain")))
      .map(rows -> rows.rowCount() == 1);
  }

  private static byte[] bytes(Buffer buffer) {
    return buffer == null ? null : buffer.getBytes();
  }
}
