package io.tokengate;

import io.tokengate.config.Config;
import io.tokengate.config.ConfigException;
import io.tokengate.store.Database;
import io.tokengate.store.DatabaseUnavailableException;
import io.tokengate.store.Migrations;
import io.tokengate.store.SealedRows;
import io.tokengate.store.PairwiseKeyStore;
import io.tokengate.store.SigningKeysTable;
import io.tokengate.store.UsernameKeyStore;
import io.tokengate.token.SigningKeyLoader;
import io.tokengate.token.SigningKeys;
import io.tokengate.user.UsernameDigests;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

/**
 * What start-up reads before anything is served, in dependency order: the database reached and its schema current,
 * every sealed row openable by the keyring, the username key, the signing keys, and a decoy hash (computed on the
 * hashing pool meanwhile).
 *
 * @param decoyHash a hash in the current parameters of a password nobody knows, verified for unknown users
 */
record StoredState(UsernameDigests usernames, SigningKeys keys, String decoyHash, byte[] pairwiseKey) {

  private static final System.Logger LOG = System.getLogger(StoredState.class.getName());

  static Future<StoredState> load(Platform platform, Config config, Clock clock) {
    Future<String> decoy = platform.hashing().hash(unguessable());
    return reachable(platform.pool(), config)
      .compose(reached -> currentSchema(platform.vertx(), platform.pool(), config))
      .compose(current -> new SealedRows(platform.pool()).requireKeysFor(config.keyring()))
      .compose(openable -> reportUserShapedClients(platform.pool()))
      .compose(reported -> UsernameKeyStore.load(platform.pool(), config.users().usernameKey(), config.keyring()))
      .compose(usernames -> PairwiseKeyStore.load(platform.pool(), config.oidc().pairwiseKey(), config.keyring())
        .compose(pairwiseKey -> SigningKeyLoader.load(platform.vertx(), new SigningKeysTable(platform.pool()),
            config.tokens(),
            config.keyring(), clock)
          .compose(keys -> decoy.map(decoyHash -> new StoredState(usernames, keys, decoyHash, pairwiseKey)))));
  }

  /**
   * RFC 9068 §5: a client_credentials token's sub is its client id, which must never equal a user's sub (a UUID).
   * Registration refuses such ids now; one registered earlier is reported here, for the operator to replace.
   */
  private static Future<Void> reportUserShapedClients(Pool pool) {
    return pool.query("SELECT client_id FROM clients WHERE client_id ~* "
        + "'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' ORDER BY client_id").execute()
      .map(rows -> {
        rows.forEach(row -> LOG.log(System.Logger.Level.WARNING, "client " + row.getString(0) + " has an id shaped "
          + "like a UUID, as users' subjects are: its client_credentials tokens could be taken for a user's "
          + "(RFC 9068 §5); register it again under another id"));
        return null;
      });
  }

  private static Future<Void> reachable(Pool pool, Config config) {
    return Database.ping(pool)
      .recover(failure -> Future.failedFuture(DatabaseUnavailableException.describe(config.database().url(), failure)))
      .compose(reached -> config.database().transactionPooling() ? warnWithoutTimeout(pool) : Future.succeededFuture());
  }

  /** Behind a transaction-mode pooler the statement timeout is the role's: say so when the role has none. */
  private static Future<Void> warnWithoutTimeout(Pool pool) {
    return pool.query("SELECT current_setting('statement_timeout') = '0'").execute().map(rows -> {
      if (rows.iterator().next().getBoolean(0)) {
        LOG.log(System.Logger.Level.WARNING, "database.pooler_mode is transaction and the database role has no "
          + "statement_timeout: a stuck statement holds its connection until PostgreSQL ends it. Set one on the role: "
          + "ALTER ROLE <role> SET statement_timeout = '5s'");
      }
      return null;
    });
  }

  /** Migrated here, or (without migrate_on_start) refused when behind: it would fail requests one by one. */
  private static Future<Void> currentSchema(Vertx vertx, Pool pool, Config config) {
    if (config.database().migrateOnStart()) {
      return Migrations.apply(vertx, pool).onSuccess(StoredState::logMigrations).mapEmpty();
    }
    return Migrations.pending(vertx, pool).compose(pending -> pending.isEmpty() ? Future.<Void>succeededFuture()
      : Future.failedFuture(new ConfigException("the database schema lacks " + String.join(", ", pending)
        + ": run `tokengate migrate` (database.migrate_on_start is false)")));
  }

  private static void logMigrations(List<String> applied) {
    if (!applied.isEmpty()) {
      LOG.log(System.Logger.Level.INFO, "applied migrations " + String.join(", ", applied));
    }
  }

  /** A password nobody knows, whose hash unknown users are checked against (equal work for every username). */
  private static String unguessable() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
