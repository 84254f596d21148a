package io.tokengate.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.tokengate.config.Config;
import io.tokengate.config.ConfigException;
import io.tokengate.crypto.Keyring;
import io.tokengate.crypto.Purpose;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Loads the signing keys: from a mounted JWKS file when one is configured, otherwise from the database, where the
 * first replica to start generates the key that all replicas then share.
 */
public final class SigningKeyLoader {

  /** "tg-keys!" in ASCII: the advisory lock that makes key generation happen once. */
  private static final long LOCK_KEY = 0x74672d6b65797321L;

  private SigningKeyLoader() {
  }

  /**
   * @param keyring seals keys generated into the database when it has a key (else they are stored as before, so
   *                that replicas of the previous release can still read them during a rolling upgrade)
   */
  public static Future<SigningKeys> load(Vertx vertx, Pool pool, Config.Tokens config, Keyring keyring) {
    JWSAlgorithm algorithm = JWSAlgorithm.parse(config.signingAlgorithm());
    return config.jwksFile()
      .map(file -> vertx.executeBlocking(() -> fromFile(file, algorithm), false))
      .orElseGet(() -> fromDatabase(vertx, pool, algorithm, keyring));
  }

  static SigningKeys fromFile(Path file, JWSAlgorithm algorithm) {
    JWKSet set;
    try {
      set = JWKSet.parse(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read tokens.jwks_file " + file + ": " + e.getMessage());
    } catch (ParseException e) {
      // Not the parser's message: it may quote the file, which holds private keys.
      throw new IllegalStateException("tokens.jwks_file " + file + " is not a JWK set");
    }
    // The first private key that fits signs; every key in the file is published, so that the next key can be
    // published before it signs and the previous one kept until its tokens have expired.
    SigningKey active = set.getKeys().stream()
      .filter(jwk -> SigningKey.fits(jwk, algorithm))
      .findFirst()
      .map(jwk -> SigningKey.of(jwk, algorithm))
      .orElseThrow(() -> new IllegalStateException(
        "tokens.jwks_file " + file + " holds no private key with a kid for " + algorithm));
    return new SigningKeys(active, set.getKeys());
  }

  private static Future<SigningKeys> fromDatabase(Vertx vertx, Pool pool, JWSAlgorithm algorithm, Keyring keyring) {
    return pool.withTransaction(connection -> connection
      .query("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")").execute()
      // Retired keys stay published for a day: longer than the longest access-token lifetime allowed.
      .compose(locked -> connection.query(
          "SELECT kid, algorithm, private_jwk, private_jwk_sealed, state FROM signing_keys "
            + "WHERE state = 'active' OR retired_at > now() - interval '1 day' ORDER BY created_at DESC")
        .execute())
      .compose(rows -> {
        List<JWK> published = parse(rows, keyring);
        Optional<JWK> active = activeKey(rows, algorithm, keyring);
        if (active.isPresent()) {
          return Future.succeededFuture(new SigningKeys(SigningKey.of(active.get(), algorithm), published));
        }
        return vertx.executeBlocking(() -> KeyGenerator.generate(algorithm), false)
          .compose(generated -> insert(connection, generated, algorithm, keyring).map(inserted -> {
            published.add(0, generated);
            return new SigningKeys(SigningKey.of(generated, algorithm), published);
          }));
      }));
  }

  private static Future<RowSet<Row>> insert(SqlConnection connection, JWK key, JWSAlgorithm algorithm,
                                            Keyring keyring) {
    boolean seal = keyring.hasKeys();
    return connection.preparedQuery("INSERT INTO signing_keys (kid, algorithm, private_jwk, private_jwk_sealed, state) "
        + "VALUES ($1, $2, $3, $4, 'active')")
      .execute(Tuple.of(key.getKeyID(), algorithm.getName(), seal ? null : key.toJSONString(), seal
        ? Buffer.buffer(keyring.seal(Purpose.SIGNING_KEY, key.getKeyID(), key.toJSONString().getBytes(UTF_8)))
        : null));
  }

  private static Optional<JWK> activeKey(RowSet<Row> rows, JWSAlgorithm algorithm, Keyring keyring) {
    for (Row row : rows) {
      if ("active".equals(row.getString("state")) && algorithm.getName().equals(row.getString("algorithm"))) {
        return Optional.of(parseKey(row, keyring));
      }
    }
    return Optional.empty();
  }

  private static List<JWK> parse(RowSet<Row> rows, Keyring keyring) {
    List<JWK> keys = new ArrayList<>();
    rows.forEach(row -> keys.add(parseKey(row, keyring)));
    return keys;
  }

  private static JWK parseKey(Row row, Keyring keyring) {
    String kid = row.getString("kid");
    String text = row.getString("private_jwk");
    if (text == null) {
      text = keyring.open(Purpose.SIGNING_KEY, kid, row.getBuffer("private_jwk_sealed").getBytes())
        .map(bytes -> new String(bytes, UTF_8))
        .orElseThrow(() -> new ConfigException("invalid configuration: secrets.sealing_keys has no key that opens "
          + "signing key " + kid + " in the database"));
    }
    try {
      return JWK.parse(text);
    } catch (ParseException e) {
      throw new IllegalStateException("signing key " + row.getString("kid") + " in the database is not a JWK");
    }
  }
}
