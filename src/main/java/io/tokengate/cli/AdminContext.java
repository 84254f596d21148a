package io.tokengate.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokengate.client.ClientRegistration;
import io.tokengate.client.ClientSecretSealer;
import io.tokengate.client.ClientSecrets;
import io.tokengate.config.Config;
import io.tokengate.grant.GrantTypes;
import io.tokengate.store.ClientStore;
import io.tokengate.store.Database;
import io.tokengate.store.DatabaseUnavailableException;
import io.tokengate.store.LoginFailuresTable;
import io.tokengate.store.RefreshTokenFamiliesTable;
import io.tokengate.store.SigningKeysTable;
import io.tokengate.store.UserStore;
import io.tokengate.store.UsernameKeyStore;
import io.tokengate.token.DatabaseKeys;
import io.tokengate.token.RefreshTokens;
import io.tokengate.store.UsageRollups;
import io.tokengate.user.Argon2Hasher;
import io.tokengate.user.HashingPool;
import io.tokengate.user.Lockout;
import io.tokengate.user.PasswordHashing;
import io.tokengate.user.User;
import io.tokengate.user.UserRegistration;
import io.tokengate.user.UsernameDigests;
import io.tokengate.user.Usernames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.time.Clock;

/**
 * What an operator command needs: a small Vert.x, a pool and the same registration code the server uses. Commands
 * run on the main thread and wait for their futures there; nothing here runs on an event loop.
 */
final class AdminContext implements AutoCloseable {

  private final Config config;
  private final Vertx vertx;
  private final Pool pool;
  private final PasswordHashing hashing;

  private AdminContext(Config config) {
    this.config = config;
    this.vertx = Vertx.vertx();
    this.pool = Database.pool(vertx, config.database(), 1);
    Config.Hashing hashing = config.hashing();
    HashingPool hashingPool = new HashingPool(vertx, 1, 0, new SimpleMeterRegistry());
    this.hashing = new PasswordHashing(hashingPool, Argon2Hasher.of(hashing));
  }

  /** Opens a context whose database answers, or fails with a one-line explanation. */
  static AdminContext open(Config config) {
    AdminContext context = new AdminContext(config);
    try {
      Database.ping(context.pool)
        .recover(failure -> Future.failedFuture(DatabaseUnavailableException.describe(config.database().url(), failure)))
        .await();
      return context;
    } catch (RuntimeException e) {
      context.close();
      throw e;
    }
  }

  Vertx vertx() {
    return vertx;
  }

  Pool pool() {
    return pool;
  }

  ClientRegistration clients() {
    return new ClientRegistration(new ClientStore(pool), new ClientSecrets(hashing),
      ClientSecretSealer.of(config.keyring()), GrantTypes.KNOWN, clock());
  }

  /** The time of the operator's commands: when a sunset is announced, what "in the past" means. */
  Clock clock() {
    return Clock.systemUTC();
  }

  DatabaseKeys databaseKeys() {
    return new DatabaseKeys(new SigningKeysTable(pool), config.keyring(), clock(), config.tokens().accessTokenLifetime());
  }

  UsageRollups usage() {
    return new UsageRollups(pool);
  }

  ClientStore clientStore() {
    return new ClientStore(pool);
  }

  UserRegistration users() {
    return new UserRegistration(new UserStore(pool), hashing, config.limits());
  }

  /** The user of a username as typed (normalized here), or a one-line failure naming it. */
  User user(String username) {
    String normalized = Usernames.normalize(username);
    return userStore().findByUsername(normalized).await()
      .orElseThrow(() -> new IllegalStateException("no user " + normalized));
  }

  UserStore userStore() {
    return new UserStore(pool);
  }

  PasswordHashing passwordHashing() {
    return hashing;
  }

  /** The same key as the gateway's (users.username_key, or the one kept in the database). */
  UsernameDigests usernames() {
    return UsernameKeyStore.load(pool, config.users().usernameKey(), config.keyring()).await();
  }

  Lockout lockout() {
    return new Lockout(new LoginFailuresTable(pool), config.lockout(), Clock.systemUTC(), usernames());
  }

  RefreshTokens refreshTokens() {
    return new RefreshTokens(new RefreshTokenFamiliesTable(pool, usernames()), Clock.systemUTC(), config.tokens());
  }

  Config config() {
    return config;
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
