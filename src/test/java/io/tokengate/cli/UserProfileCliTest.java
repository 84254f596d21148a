package io.tokengate.cli;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserProfileCliTest {

  private static final String HASH = "$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";

  @TempDir
  static Path directory;
  private static CliSession cli;

  @BeforeAll
  static void start() {
    cli = new CliSession(directory);
  }

  @AfterAll
  static void stop() {
    cli.close();
  }

  @Test
  void userSetAddsAndRemovesAttributesAndGroups() {
    assertEquals(0, cli.runWithInput("a long enough password\n", "user", "create", "carol", "--password-stdin").exitCode());

    CliSession.Run set = cli.run("user", "set", "carol", "--attribute", "email=carol@example.com",
      "--attribute", "tenant=t1", "--attribute", "tenant=t2", "--group", "staff", "--group", "admins");
    assertEquals(0, set.exitCode(), set.err());
    JsonObject shown = new JsonObject(cli.run("user", "show", "carol", "--output", "json").out());
    assertEquals("carol@example.com", shown.getJsonObject("attributes").getString("email"));
    assertEquals("[\"t1\",\"t2\"]", shown.getJsonObject("attributes").getJsonArray("tenant").encode());
    assertEquals("[\"admins\",\"staff\"]", shown.getJsonArray("groups").encode());

    assertEquals(0, cli.run("user", "set", "carol", "--remove-attribute", "tenant", "--remove-group", "admins",
      "--attribute", "email=c@example.com").exitCode());
    shown = new JsonObject(cli.run("user", "show", "carol", "--output", "json").out());
    assertEquals("{\"email\":\"c@example.com\"}", shown.getJsonObject("attributes").encode());
    assertEquals("[\"staff\"]", shown.getJsonArray("groups").encode());
  }

  @Test
  void userSetRefusesBadInputAndUnknownUsersWithoutChangingAnything() {
    assertEquals(0, cli.runWithInput("a long enough password\n", "user", "create", "dave", "--password-stdin").exitCode());
    CliSession.Run noEquals = cli.run("user", "set", "dave", "--attribute", "email");
    assertEquals(1, noEquals.exitCode() == 0 ? 0 : 1);
    assertTrue(noEquals.err().contains("KEY=VALUE"), noEquals.err());
    CliSession.Run badGroup = cli.run("user", "set", "dave", "--group", "two words");
    assertTrue(badGroup.exitCode() != 0 && badGroup.err().contains("group name"), badGroup.err());
    CliSession.Run nothing = cli.run("user", "set", "dave");
    assertTrue(nothing.exitCode() != 0 && nothing.err().contains("nothing to change"), nothing.err());
    CliSession.Run unknown = cli.run("user", "set", "nobody", "--group", "staff");
    assertTrue(unknown.exitCode() != 0 && unknown.err().contains("no user nobody"), unknown.err());
    assertEquals("{}", cli.column("SELECT attributes::text FROM users WHERE username = 'dave'"));
    assertEquals("{}", cli.column("SELECT groups::text FROM users WHERE username = 'dave'"));
  }

  @Test
  void importReadsGroupsFromJsonLinesAndTheFourthCsvColumn() throws Exception {
    Path jsonl = Files.writeString(directory.resolve("users.jsonl"), """
      {"username":"erin","password_hash":"%s","attributes":{"email":"erin@example.com"},"groups":["staff","ops"]}
      {"username":"frank","password_hash":"%s","groups":"staff"}
      """.formatted(HASH, HASH));
    CliSession.Run imported = cli.run("user", "import", jsonl.toString());
    assertEquals(0, imported.exitCode(), imported.err());
    assertTrue(imported.out().contains("imported 1, already present 0, rejected 1"), imported.out());
    assertTrue(imported.err().contains("line 2: groups must be an array of strings"), imported.err());
    assertEquals("{ops,staff}", cli.column("SELECT groups::text FROM users WHERE username = 'erin'"));

    Path csv = Files.writeString(directory.resolve("users.csv"), """
      username,hash,attributes,groups
      gina,%s,"{""email"":""gina@example.com""}",staff  admins
      hank,%s,,
      """.formatted(HASH, HASH));
    imported = cli.run("user", "import", csv.toString());
    assertEquals(0, imported.exitCode(), imported.err());
    assertTrue(imported.out().contains("imported 2, already present 0, rejected 0"), imported.out());
    assertEquals("{admins,staff}", cli.column("SELECT groups::text FROM users WHERE username = 'gina'"));
    assertEquals("{}", cli.column("SELECT groups::text FROM users WHERE username = 'hank'"));
    assertEquals("gina@example.com", cli.column("SELECT attributes->>'email' FROM users WHERE username = 'gina'"));
  }
}
