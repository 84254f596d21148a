package io.tokengate.cli;

import io.tokengate.support.Http;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tokengate apply -f and export: declarative, idempotent, all or nothing. */
@ExtendWith(VertxExtension.class)
class ApplyCliTest {

  private static final String SECRET = "a-long-secret-kept-in-a-kubernetes-secret-0123456789";

  @TempDir
  Path directory;

  private Path file(String name, String yaml) throws Exception {
    return Files.writeString(directory.resolve(name), yaml);
  }

  private String registrations(Path secret, String crmExtra) {
    return """
      clients:
        crm:
          grants: [password, refresh_token]
          scopes: [read, write]
          default_scopes: [read]
          auth_methods: [client_secret_basic]
          secret_file: %s
          access_token_lifetime: 10m
      %s
        batch:
          grants: [client_credentials]
          auth_methods: [client_secret_post]
          secret_file: %s
      scopes: {}
      """.formatted(secret, crmExtra, secret);
  }

  @Test
  void applyCreatesThenChangesNothingAndTheSecretWorksWithoutEverBeingPrinted(Vertx vertx) throws Exception {
    Path secret = file("secret", SECRET + "\n");
    Path declared = file("clients.yaml", registrations(secret, ""));
    try (CliSession cli = new CliSession(directory);
         TestGateway gateway = TestGateway.startOn(cli.database(), Map.of())) {
      CliSession.Run dry = cli.run("apply", "-f", declared.toString(), "--dry-run");
      String afterDryRun = cli.column("SELECT count(*) FROM clients");
      CliSession.Run first = cli.run("apply", "-f", declared.toString());
      CliSession.Run second = cli.run("apply", "-f", declared.toString());

      assertEquals(0, dry.exitCode(), dry.err());
      assertTrue(dry.out().contains("would created client crm"), dry.out());
      assertEquals("0", afterDryRun, "a dry run writes nothing");
      assertEquals(0, first.exitCode(), first.err());
      assertTrue(first.out().contains("applied: 2 created"), first.out());
      assertEquals(0, second.exitCode(), second.err());
      assertTrue(second.out().startsWith("nothing to change"), second.out());
      assertEquals("2", cli.column("SELECT count(*) FROM clients WHERE managed"));
      assertFalse((dry.out() + first.out() + second.out()).contains(SECRET), "the secret is never printed");
      Http http = new Http(vertx, gateway.port());
      assertEquals(401, http.tokenWithBasic("batch", "wrong", form("grant_type", "client_credentials")).statusCode());
      assertEquals(200, http.client().post("/oauth2/token").sendForm(form("grant_type", "client_credentials",
        "client_id", "batch", "client_secret", SECRET)).await().statusCode());
    }
  }

  @Test
  void scopesAndResourcesAreDeclaredAppliedOnceAndPruned() throws Exception {
    Path declared = file("registrations.yaml", """
      clients: {}
      scopes:
        admin:
          requires_groups: [admins]
          claims: {department: dept}
          description: Administration
        read: {}
      resources:
        https://orders.example.com/:
          scopes: [orders.read]
          access_token_lifetime: 2m
      """);
    Path fewer = file("fewer.yaml", """
      scopes:
        admin:
          requires_groups: [admins, ops]
      """);
    Path bad = file("bad.yaml", """
      scopes:
        wrong:
          claims: {sub: employee_id}
          colour: blue
      resources:
        /relative:
          scopes: [a]
      """);
    try (CliSession cli = new CliSession(directory)) {
      CliSession.Run first = cli.run("apply", "-f", declared.toString());
      assertEquals(0, first.exitCode(), first.err());
      assertTrue(first.out().contains("created scope admin"), first.out());
      assertTrue(first.out().contains("created resource https://orders.example.com/"), first.out());
      assertEquals("{admins}", cli.column("SELECT required_groups::text FROM scopes WHERE name = 'admin'"));
      assertEquals("120", cli.column("SELECT access_token_ttl_seconds FROM resources"));
      CliSession.Run second = cli.run("apply", "-f", declared.toString());
      assertTrue(second.out().startsWith("nothing to change"), second.out());
      Path exported = file("exported.yaml", cli.run("export").out());
      CliSession.Run again = cli.run("apply", "-f", exported.toString());
      assertTrue(again.out().startsWith("nothing to change"), "export round-trips: " + again.out() + again.err());

      CliSession.Run pruned = cli.run("apply", "-f", fewer.toString(), "--prune");
      assertEquals(0, pruned.exitCode(), pruned.err());
      assertTrue(pruned.out().contains("updated scope admin"), pruned.out());
      assertTrue(pruned.out().contains("deleted scope read"), pruned.out());
      assertTrue(pruned.out().contains("deleted resource https://orders.example.com/"), pruned.out());
      assertEquals("1", cli.column("SELECT count(*) FROM scopes"));

      CliSession.Run refused = cli.run("apply", "-f", bad.toString());
      assertEquals(2, refused.exitCode(), refused.out());
      assertTrue(refused.err().contains("bad.yaml:2: scope wrong: claim sub is tokengate's own"), refused.err());
      assertTrue(refused.err().contains("unknown field 'colour'"), refused.err());
      assertTrue(refused.err().contains("resource /relative: a resource must be an absolute URI"), refused.err());
      assertEquals("1", cli.column("SELECT count(*) FROM scopes"), "nothing written");
    }
  }

  @Test
  void theFileTheMigrationJobAppliesByDefaultChangesNothing() {
    try (CliSession cli = new CliSession(directory)) {
      CliSession.Run applied = cli.run("apply", "-f", Path.of("k8s/base/clients.yaml").toString());

      assertEquals(0, applied.exitCode(), applied.err());
      assertTrue(applied.out().startsWith("nothing to change (0 clients"), applied.out());
    }
  }

  @Test
  void twoReleaseJobsApplyingAtOnceApplyOnceAndNeitherFails() throws Exception {
    Path declared = file("clients.yaml", registrations(file("secret", SECRET), ""));
    java.io.InputStream stdin = System.in;
    try (CliSession cli = new CliSession(directory)) {
      var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        var first = pool.submit(() -> cli.run("apply", "-f", declared.toString()));
        var second = pool.submit(() -> cli.run("apply", "-f", declared.toString()));
        List<CliSession.Run> runs = List.of(first.get(), second.get());

        for (CliSession.Run run : runs) {
          assertEquals(0, run.exitCode(), run.err());
        }
        assertEquals(1, runs.stream().filter(run -> run.out().contains("applied: 2 created")).count(),
          runs.get(0).out() + runs.get(1).out());
        assertEquals(1, runs.stream().filter(run -> run.out().startsWith("nothing to change")).count());
        assertEquals("2", cli.column("SELECT count(*) FROM clients"));
      } finally {
        pool.shutdownNow();
        System.setIn(stdin);
      }
    }
  }

  @Test
  void theSecretIsRotatedOnlyWhenItsFileChangesAndOtherChangesAreNamed() throws Exception {
    Path secret = file("secret", SECRET);
    Path declared = file("clients.yaml", registrations(secret, ""));
    try (CliSession cli = new CliSession(directory)) {
      cli.run("apply", "-f", declared.toString());
      String hash = cli.column("SELECT secret_hash FROM clients WHERE client_id = 'crm'");
      Files.writeString(declared, registrations(secret, "    rate_limit: 20").replace("10m", "15m"));
      CliSession.Run changed = cli.run("apply", "-f", declared.toString());
      String hashAfterChange = cli.column("SELECT secret_hash FROM clients WHERE client_id = 'crm'");
      Files.writeString(secret, SECRET + "-rotated");
      CliSession.Run rotated = cli.run("apply", "-f", declared.toString());

      assertTrue(changed.out().contains("updated client crm: access_token_lifetime, rate_limit"), changed.out());
      assertEquals(hash, hashAfterChange, "an unchanged secret file rotates nothing");
      assertTrue(rotated.out().contains("updated client crm: secret"), rotated.out());
      assertTrue(rotated.out().contains("updated client batch: secret"), rotated.out());
    }
  }

  @Test
  void aMalformedFileIsRefusedAsAWholeWithEveryProblemAndItsLine() throws Exception {
    Path declared = file("bad.yaml", """
      clients:
        good:
          grants: [client_credentials]
          auth_methods: [client_secret_basic]
          secret_file: %s
        crm:
          grants: [password, implicit]
          scopez: [read]
          access_token_lifetime: [10m]
          secret_file: /nonexistent/secret
        crm:
          grants: [password]
        nosecret:
          grants: [client_credentials]
      """.formatted(file("secret", SECRET)));
    try (CliSession cli = new CliSession(directory)) {
      CliSession.Run refused = cli.run("apply", "-f", declared.toString());

      assertEquals(2, refused.exitCode());
      String err = refused.err();
      assertTrue(err.contains("bad.yaml:7: client crm: grant 'implicit' does not exist"), err);
      assertTrue(err.contains("bad.yaml:8: client crm: unknown field 'scopez'"), err);
      assertTrue(err.contains("bad.yaml:9: client crm: access_token_lifetime must be a single value"), err);
      assertTrue(err.contains("bad.yaml:10: client crm: cannot read secret_file /nonexistent/secret"), err);
      assertTrue(err.contains("'crm' is given twice in clients, on lines 6 and 11"), err);
      assertTrue(err.contains("bad.yaml:13: client nosecret: a secret method"), err);
      assertEquals("0", cli.column("SELECT count(*) FROM clients"), "nothing changed, not even the good client");
    }
  }

  @Test
  void aDeclaredClientTheRegistrationRulesRefuseChangesNothing() throws Exception {
    Path declared = file("rules.yaml", """
      clients:
        fine:
          grants: [client_credentials]
          auth_methods: [client_secret_basic]
          secret_file: %s
        wrong:
          grants: [client_credentials]
          scopes: [read]
          default_scopes: [write]
          auth_methods: [client_secret_basic]
          secret_file: %s
      """.formatted(file("secret", SECRET), directory.resolve("secret")));
    try (CliSession cli = new CliSession(directory)) {
      CliSession.Run refused = cli.run("apply", "-f", declared.toString());

      assertEquals(2, refused.exitCode());
      assertTrue(refused.err().contains("rules.yaml:6: client wrong: default scopes must be among"), refused.err());
      assertEquals("0", cli.column("SELECT count(*) FROM clients"));
    }
  }

  @Test
  void pruneDisablesOrDeletesManagedClientsOnlyAndExportRoundTrips() throws Exception {
    Path secret = file("secret", SECRET);
    try (CliSession cli = new CliSession(directory)) {
      CliSession.Run handMade = cli.run("client", "create", "by-hand", "--grants", "client_credentials");
      cli.run("apply", "-f", file("two.yaml", registrations(secret, "")).toString());
      Path onlyCrm = file("one.yaml", """
        clients:
          crm:
            grants: [password, refresh_token]
            scopes: [read, write]
            default_scopes: [read]
            auth_methods: [client_secret_basic]
            secret_file: %s
            access_token_lifetime: 10m
        """.formatted(secret));
      CliSession.Run withoutPrune = cli.run("apply", "-f", onlyCrm.toString());
      CliSession.Run pruned = cli.run("apply", "-f", onlyCrm.toString(), "--prune");
      String batchEnabled = cli.column("SELECT enabled FROM clients WHERE client_id = 'batch'");
      CliSession.Run deleted = cli.run("apply", "-f", onlyCrm.toString(), "--prune", "--delete");
      CliSession.Run exported = cli.run("export");

      assertTrue(withoutPrune.out().startsWith("nothing to change"), withoutPrune.out());
      assertTrue(pruned.out().contains("disabled client batch: no longer in the file"), pruned.out());
      assertEquals("false", batchEnabled);
      assertTrue(deleted.out().contains("deleted client batch"), deleted.out());
      assertEquals(null, cli.column("SELECT client_id FROM clients WHERE client_id = 'batch'"));
      assertEquals("true", cli.column("SELECT enabled FROM clients WHERE client_id = 'by-hand'"),
        "a client no file listed is never pruned");
      assertEquals(0, exported.exitCode(), exported.err());
      assertFalse(exported.out().contains("sha256") || exported.out().contains("$argon2"), "no secret, no hash");

      String generated = handMade.out().lines().filter(line -> line.startsWith("client_secret: ")).findFirst()
        .orElseThrow().substring("client_secret: ".length());
      Files.writeString(directory.resolve("by-hand-secret"), generated);
      Path filled = file("exported.yaml", exported.out()
        .replaceFirst("secret_file: ''", "secret_file: " + directory.resolve("by-hand-secret"))
        .replaceFirst("secret_file: ''", "secret_file: " + secret));
      CliSession.Run adopted = cli.run("apply", "-f", filled.toString());
      CliSession.Run again = cli.run("apply", "-f", filled.toString());
      assertEquals(0, adopted.exitCode(), adopted.err() + exported.out());
      assertTrue(adopted.out().contains("adopted client by-hand") && !adopted.out().contains("by-hand:"),
        "adopted without any change: " + adopted.out());
      assertTrue(again.out().startsWith("nothing to change"), again.out());
    }
  }
}
