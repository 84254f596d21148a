package io.tokengate.support;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokengate.Gateway;
import io.tokengate.client.ClientRegistration;
import io.tokengate.client.ClientSecretSealer;
import io.tokengate.client.ClientSecrets;
import io.tokengate.config.Config;
import io.tokengate.config.ConfigLoader;
import io.tokengate.grant.GrantTypes;
import io.tokengate.store.ClientStore;
import io.tokengate.store.Database;
import io.tokengate.store.UserStore;
import io.tokengate.user.Argon2Hasher;
import io.tokengate.user.HashingPool;
import io.tokengate.user.PasswordHashing;
import io.tokengate.user.UserRegistration;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The real gateway on random ports against a database of its own, plus fixtures that create clients and users
 * through the same registration code the CLI uses. Each test class starts one and closes it.
 */
public final class TestGateway implements AutoCloseable {

  private final TestDatabase database;
  private final boolean ownsDatabase;
  private final Config config;
  private final Gateway gateway;
  private final Vertx fixtureVertx = Vertx.vertx();
  private final Pool fixturePool;
  private final ClientRegistration clients;
  private final UserRegistration users;

  private TestGateway(TestDatabase database, boolean ownsDatabase, Config config, Gateway gateway) {
    this.database = database;
    this.ownsDatabase = ownsDatabase;
    this.config = config;
    this.gateway = gateway;
    this.fixturePool = Database.pool(fixtureVertx, config.database(), 1);
    Config.Hashing hashing = config.hashing();
    PasswordHashing passwords = new PasswordHashing(new HashingPool(fixtureVertx, 1, 64, new SimpleMeterRegistry()),
      new Argon2Hasher(new Argon2Hasher.Parameters(hashing.argon2MemoryKib(), hashing.argon2Iterations(),
        hashing.argon2Parallelism())));
    this.clients = new ClientRegistration(new ClientStore(fixturePool), new ClientSecrets(passwords),
      ClientSecretSealer.of(config.keyring()), GrantTypes.KNOWN);
    this.users = new UserRegistration(new UserStore(fixturePool), passwords, config.limits());
  }

  public static TestGateway start() {
    return start(Map.of());
  }

  /** @param settings {@code TOKENGATE_*} variables, as the environment would give them */
  public static TestGateway start(Map<String, String> settings) {
    return start(settings, Clock.systemUTC());
  }

  public static TestGateway start(Map<String, String> settings, Clock clock) {
    TestDatabase database = TestDatabase.create();
    try {
      Config config = config(database, settings);
      return new TestGateway(database, true, config, Gateway.start(config, clock).await());
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /** Another replica on an existing gateway's database; closing it leaves the database alone. */
  public static TestGateway startOn(TestDatabase database, Map<String, String> settings) {
    return startOn(database, settings, Clock.systemUTC());
  }

  public static TestGateway startOn(TestDatabase database, Map<String, String> settings, Clock clock) {
    Config config = config(database, settings);
    return new TestGateway(database, false, config, Gateway.start(config, clock).await());
  }

  public static Config config(TestDatabase database, Map<String, String> settings) {
    Map<String, String> env = new HashMap<>();
    env.put("TOKENGATE_DATABASE_URL", database.url().value());
    env.put("TOKENGATE_HTTP_PORT", "0");
    env.put("TOKENGATE_MANAGEMENT_PORT", "0");
    env.put("TOKENGATE_HTTP_HOST", "127.0.0.1");
    env.put("TOKENGATE_MANAGEMENT_HOST", "127.0.0.1");
    env.put("TOKENGATE_HTTP_SHUTDOWN_GRACE", "1s");
    env.putAll(settings);
    return ConfigLoader.load(null, env);
  }

  public Config config() {
    return config;
  }

  public Gateway gateway() {
    return gateway;
  }

  public TestDatabase database() {
    return database;
  }

  public int port() {
    return gateway.ports().publicPort();
  }

  public int managementPort() {
    return gateway.ports().managementPort();
  }

  /** Registers a client with a generated secret; returns the secret. */
  public String createClient(String clientId, Set<String> grants, List<String> scopes, List<String> defaultScopes) {
    return clients.register(new ClientRegistration.Request(clientId, grants, scopes, defaultScopes, Optional.empty(),
      Optional.empty())).await().generatedSecret().orElseThrow();
  }

  public Pool pool() {
    return fixturePool;
  }

  public ClientRegistration.Registered register(ClientRegistration.Request request) {
    return clients.register(request).await();
  }

  public void createUser(String username, String password) {
    users.create(username, password).await();
  }

  /** Direct SQL, for states the CLI of this version cannot produce yet (a disabled user or client). */
  public void sql(String statement, Object... parameters) {
    fixturePool.preparedQuery(statement).execute(Tuple.wrap(List.of(parameters))).await();
  }

  /** The first column of the first row, as text (null when there is no row). */
  public String queryString(String query, Object... parameters) {
    var rows = fixturePool.preparedQuery(query).execute(Tuple.wrap(List.of(parameters))).await();
    return rows.size() == 0 ? null : String.valueOf(rows.iterator().next().getValue(0));
  }

  @Override
  public void close() {
    try {
      gateway.stop().await();
      fixtureVertx.close().await();
    } finally {
      if (ownsDatabase) {
        database.close();
      }
    }
  }
}
