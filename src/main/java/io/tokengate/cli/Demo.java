package io.tokengate.cli;

import io.tokengate.client.ClientRegistration;
import io.tokengate.client.ClientSecrets;
import io.tokengate.config.Config;
import io.tokengate.grant.GrantTypes;
import io.tokengate.store.DatabaseUnavailableException;
import io.tokengate.store.Databases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code serve --demo}: a first run on a fresh machine. Creates the database if it is missing, and (once the
 * server has migrated it) gives a demo client and a demo user fresh credentials, printed for the curl example.
 */
final class Demo {

  static final String CLIENT_ID = "demo-client";
  static final String USERNAME = "demo";

  private Demo() {
  }

  static void createDatabase(Config config) {
    Vertx vertx = Vertx.vertx();
    try {
      Databases.createIfMissing(vertx, config.database().url())
        .recover(failure -> Future.failedFuture(DatabaseUnavailableException.describe(config.database().url(), failure)))
        .await();
    } finally {
      vertx.close().await();
    }
  }

  static void seed(Config config, int publicPort) {
    String secret = ClientSecrets.generate();
    String password = ClientSecrets.generate().substring(0, 20);
    try (AdminContext admin = AdminContext.open(config)) {
      admin.clients().register(new ClientRegistration.Request(CLIENT_ID, Set.of(GrantTypes.PASSWORD, GrantTypes.REFRESH_TOKEN),
          List.of("read", "write"), List.of("read"), Optional.empty(), Optional.empty()))
        .map(registered -> registered.generatedSecret().orElseThrow())
        // It exists from an earlier run: give it a new secret, since the old one was never stored.
        .recover(exists -> admin.clientStore().updateSecret(CLIENT_ID, ClientSecrets.hashGenerated(secret), null).map(secret))
        .compose(clientSecret -> admin.users().create(USERNAME, password)
          .<Void>mapEmpty()
          .recover(exists -> admin.users().setPassword(USERNAME, password).mapEmpty())
          .map(clientSecret))
        .onSuccess(clientSecret -> print(config, publicPort, clientSecret, password))
        .await();
    }
  }

  private static void print(Config config, int port, String clientSecret, String password) {
    String tokenUrl = "http://localhost:" + port + "/oauth2/token";
    System.out.printf("%n  demo client: %s  secret: %s%n  demo user:   %s  password: %s%n%n"
        + "  curl -s -u '%s:%s' -d grant_type=password -d username=%s -d 'password=%s' %s%n%n",
      CLIENT_ID, clientSecret, USERNAME, password, CLIENT_ID, clientSecret, USERNAME, password, tokenUrl);
    System.out.flush();
  }
}
