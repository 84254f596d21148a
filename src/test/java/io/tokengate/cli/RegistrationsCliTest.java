package io.tokengate.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** scope and resource registrations, and a client's claims and subject type, through the CLI. */
class RegistrationsCliTest {

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

  private static void assertRefused(CliSession.Run run, String message) {
    assertTrue(run.exitCode() != 0, run.out());
    assertTrue(run.err().contains(message), run.err());
  }

  @Test
  void scopeCreateListShowUpdateDelete() {
    CliSession.Run created = cli.run("scope", "create", "admin", "--requires-group", "admins", "--requires-group",
      "ops", "--claim", "department", "--claim", "team=team_name", "--description", "Administration");
    assertEquals(0, created.exitCode(), created.err());
    JsonObject shown = new JsonObject(cli.run("scope", "show", "admin", "--output", "json").out());
    assertEquals(new JsonArray().add("admins").add("ops"), shown.getJsonArray("requires_groups"));
    assertEquals(new JsonObject().put("department", "department").put("team", "team_name"),
      shown.getJsonObject("claims"));
    assertTrue(cli.run("scope", "list").out().contains("admins ops"));

    assertEquals(0, cli.run("scope", "update", "admin", "--requires-group", "root").exitCode());
    shown = new JsonObject(cli.run("scope", "show", "admin", "--output", "json").out());
    assertEquals(new JsonArray().add("root"), shown.getJsonArray("requires_groups"));
    assertEquals("Administration", shown.getString("description"), "what is not given stays");

    assertRefused(cli.run("scope", "create", "admin"), "registered already");
    assertEquals(0, cli.run("scope", "delete", "admin").exitCode());
    assertRefused(cli.run("scope", "show", "admin"), "no scope registration admin");
  }

  @Test
  void badScopeRegistrationsAreRefusedAndNothingIsWritten() {
    assertRefused(cli.run("scope", "create", "s1", "--claim", "sub=employee_id"), "tokengate's own");
    assertRefused(cli.run("scope", "create", "s2", "--claim", "aud"), "tokengate's own");
    assertRefused(cli.run("scope", "create", "bad\"scope"), "RFC 6749");
    assertRefused(cli.run("scope", "create", "s3", "--requires-group", "two words"), "group name");
    assertEquals("0", cli.column("SELECT count(*) FROM scopes WHERE name IN ('s1', 's2', 's3')"));
  }

  @Test
  void resourceCreateListShowUpdateDelete() {
    CliSession.Run created = cli.run("resource", "create", "https://api.example.com/orders", "--scopes",
      "orders.read orders.write", "--access-token-lifetime", "2m");
    assertEquals(0, created.exitCode(), created.err());
    JsonObject shown = new JsonObject(cli.run("resource", "show", "https://api.example.com/orders", "--output",
      "json").out());
    assertEquals(new JsonArray().add("orders.read").add("orders.write"), shown.getJsonArray("scopes"));
    assertEquals("2m", shown.getString("access_token_lifetime"));

    assertEquals(0, cli.run("resource", "update", "https://api.example.com/orders", "--access-token-lifetime", "")
      .exitCode());
    shown = new JsonObject(cli.run("resource", "show", "https://api.example.com/orders", "--output", "json").out());
    assertNull(shown.getString("access_token_lifetime"));
    assertTrue(cli.run("resource", "list").out().contains("https://api.example.com/orders"));

    assertRefused(cli.run("resource", "create", "/relative", "--scopes", "a"), "absolute URI");
    assertRefused(cli.run("resource", "create", "https://api.example.com/#x", "--scopes", "a"), "fragment");
    assertEquals(0, cli.run("resource", "delete", "https://api.example.com/orders").exitCode());
    assertEquals("0", cli.column("SELECT count(*) FROM resources"));
  }

  @Test
  void clientClaimsAndSubjectType() {
    CliSession.Run created = cli.run("client", "create", "crm", "--grants", "password", "--scopes", "openid",
      "--claim", "email=mail", "--subject-type", "pairwise", "--sector", "crm-suite");
    assertEquals(0, created.exitCode(), created.err());
    assertEquals("{\"email\": \"mail\"}", cli.column("SELECT claims::text FROM clients WHERE client_id = 'crm'"));
    assertEquals("pairwise", cli.column("SELECT subject_type FROM clients WHERE client_id = 'crm'"));
    assertEquals("crm-suite", cli.column("SELECT sector FROM clients WHERE client_id = 'crm'"));

    assertEquals(0, cli.run("client", "update", "crm", "--subject-type", "public").exitCode());
    assertEquals("public", cli.column("SELECT subject_type FROM clients WHERE client_id = 'crm'"));
    assertEquals("crm-suite", cli.column("SELECT sector FROM clients WHERE client_id = 'crm'"), "what is not given stays");

    assertRefused(cli.run("client", "update", "crm", "--claim", "iss=issuer"), "tokengate's own");
    assertRefused(cli.run("client", "create", "crm2", "--grants", "password", "--claim", "cnf=x"), "tokengate's own");
    assertEquals(null, cli.column("SELECT client_id FROM clients WHERE client_id = 'crm2'"));
    assertRefused(cli.run("client", "create", "123e4567-e89b-12d3-a456-426614174000", "--grants",
      "client_credentials"), "RFC 9068");
  }
}
