package io.tokengate.cli;

import io.tokengate.support.Http;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every lifecycle step of clients and users from the command line, with JSON output, against a running gateway. */
@ExtendWith(VertxExtension.class)
class LifecycleCliTest {

  private static final String PASSWORD = "correct horse battery staple";

  @TempDir
  Path directory;

  @Test
  void aUserIsListedChangedDisabledEnabledAndDeletedWithItsSessionsAndLockout(Vertx vertx) {
    try (CliSession cli = new CliSession(directory);
         TestGateway gateway = TestGateway.startOn(cli.database(), Map.of())) {
      Http http = new Http(vertx, gateway.port());
      String secret = gateway.createClient("app", java.util.Set.of("password", "refresh_token"), List.of(), List.of());
      for (String name : List.of("alice", "alfred", "bob")) {
        assertEquals(0, cli.runWithInput(PASSWORD + "\n", "user", "create", name, "--password-stdin").exitCode());
      }
      CliSession.Run listed = cli.run("user", "list", "--prefix", "al", "--limit", "1", "--output", "json");
      CliSession.Run changed = cli.runWithInput("a new passphrase\n", "user", "set-password", "alice", "--password-stdin");
      JsonObject tokens = http.tokenWithBasic("app", secret, form("grant_type", "password", "username", "alice",
        "password", "a new passphrase")).bodyAsJsonObject();
      http.tokenWithBasic("app", secret, form("grant_type", "password", "username", "alice", "password", "wrong"));
      CliSession.Run disabled = cli.run("user", "disable", "alice");
      CliSession.Run enabled = cli.run("user", "enable", "alice");
      CliSession.Run shown = cli.run("user", "show", "alice", "--output", "json");
      CliSession.Run deleted = cli.run("user", "delete", "alice");

      JsonArray users = new JsonArray(listed.out());
      assertEquals(1, users.size());
      assertEquals("alfred", users.getJsonObject(0).getString("username"), "username order, from the prefix");
      assertEquals(List.of("id", "username", "enabled", "second_factor", "attributes", "groups"), List.copyOf(users.getJsonObject(0).fieldNames()));
      assertEquals(0, changed.exitCode(), changed.err());
      assertTrue(tokens.containsKey("refresh_token"), tokens.encode());
      assertEquals(0, disabled.exitCode());
      assertEquals(0, enabled.exitCode(), enabled.err());
      assertEquals(true, new JsonObject(shown.out()).getBoolean("enabled"));
      assertEquals(1, new JsonObject(shown.out()).getInteger("failed_attempts"));
      assertEquals(0, deleted.exitCode(), deleted.err());
      assertFalse(introspect(http, secret, tokens.getString("access_token")), "its access token introspects inactive");
      assertEquals(400, http.tokenWithBasic("app", secret, form("grant_type", "refresh_token",
        "refresh_token", tokens.getString("refresh_token"))).statusCode(), "its session is revoked");
      assertEquals("0", cli.column("SELECT count(*) FROM login_failures"), "its lockout rows are gone");
      assertEquals("0", cli.column("SELECT count(*) FROM refresh_token_families"));
    }
  }

  @Test
  void aClientIsEnabledAndDeletedWithItsRefreshFamilies(Vertx vertx) {
    try (CliSession cli = new CliSession(directory);
         TestGateway gateway = TestGateway.startOn(cli.database(), Map.of())) {
      Http http = new Http(vertx, gateway.port());
      String secret = gateway.createClient("app", java.util.Set.of("password", "refresh_token"), List.of("read"),
        List.of("read"));
      gateway.createUser("carol", PASSWORD);
      http.tokenWithBasic("app", secret, form("grant_type", "password", "username", "carol", "password", PASSWORD));
      CliSession.Run disabled = cli.run("client", "disable", "app");
      CliSession.Run enabled = cli.run("client", "enable", "app");
      CliSession.Run shown = cli.run("client", "show", "app", "--output", "json");
      CliSession.Run listed = cli.run("client", "list", "--output", "json");
      String familiesBefore = cli.column("SELECT count(*) FROM refresh_token_families WHERE client_id = 'app'");
      CliSession.Run deleted = cli.run("client", "delete", "app");

      assertEquals(0, disabled.exitCode());
      assertEquals(0, enabled.exitCode(), enabled.err());
      JsonObject client = new JsonObject(shown.out());
      assertEquals(true, client.getBoolean("enabled"));
      assertEquals(List.of("password", "refresh_token"), client.getJsonArray("grant_types").getList());
      assertFalse(shown.out().contains("hash") || shown.out().contains(secret), "never its secret");
      assertEquals("app", new JsonArray(listed.out()).getJsonObject(0).getString("client_id"));
      assertEquals("1", familiesBefore);
      assertEquals(0, deleted.exitCode(), deleted.err());
      assertEquals("0", cli.column("SELECT count(*) FROM refresh_token_families"), "its sessions are revoked");
    }
  }

  @Test
  void aCommandOnSomethingThatDoesNotExistExitsOneWithOneLine() {
    try (CliSession cli = new CliSession(directory)) {
      for (List<String> command : List.of(List.of("client", "enable", "ghost"), List.of("client", "delete", "ghost"),
        List.of("client", "show", "ghost", "--output", "json"), List.of("user", "enable", "ghost"),
        List.of("user", "delete", "ghost"), List.of("user", "show", "ghost"))) {
        CliSession.Run run = cli.run(command.toArray(String[]::new));
        assertEquals(1, run.exitCode(), command.toString());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("ghost"), run.err());
      }
      CliSession.Run setPassword = cli.runWithInput("whatever it is\n", "user", "set-password", "ghost",
        "--password-stdin");
      assertEquals(1, setPassword.exitCode(), setPassword.err());
    }
  }

  @Test
  void completionPrintsAShellScriptForTheWholeCommandTree() {
    try (CliSession cli = new CliSession(directory)) {
      CliSession.Run completion = cli.run("completion");

      assertEquals(0, completion.exitCode(), completion.err());
      assertTrue(completion.out().contains("complete -F") && completion.out().contains("set-password"),
        completion.out().lines().limit(5).toList().toString());
    }
  }

  private static boolean introspect(Http http, String secret, String token) {
    return http.client().post("/oauth2/introspect").putHeader("Authorization", Http.basic("app", secret))
      .sendForm(form("token", token)).await().bodyAsJsonObject().getBoolean("active");
  }
}
