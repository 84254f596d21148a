package io.tokengate.cli;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.tokengate.token.KeyGenerator;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** client update with create's credential options, checked as create checks them. */
class ClientUpdateCredentialCliTest {

  @TempDir
  Path directory;

  @Test
  void theCredentialChangesWithCreatesChecksAndASecretIsGeneratedWhenOneIsNeeded() throws Exception {
    JWK key = KeyGenerator.generate(JWSAlgorithm.ES256).toPublicJWK();
    Path jwks = Files.writeString(directory.resolve("keys.json"), new JWKSet(key).toString(true));
    try (CliSession cli = new CliSession(directory)) {
      assertEquals(0, cli.run("client", "create", "app", "--grants", "client_credentials").exitCode());

      CliSession.Run withoutKeys = cli.run("client", "update", "app", "--auth-method", "private_key_jwt");
      CliSession.Run toKeys = cli.run("client", "update", "app", "--auth-method", "private_key_jwt",
        "--jwks-file", jwks.toString());
      JsonObject withKeys = new JsonObject(cli.run("client", "show", "app", "--output", "json").out());
      String hashWithKeys = cli.column("SELECT secret_hash FROM clients WHERE client_id = 'app'");
      CliSession.Run both = cli.run("client", "update", "app", "--jwks-file", jwks.toString(), "--no-jwks");
      CliSession.Run keysLeftOver = cli.run("client", "update", "app", "--auth-method", "client_secret_basic");
      CliSession.Run backToSecret = cli.run("client", "update", "app", "--auth-method", "client_secret_basic",
        "--no-jwks");

      assertEquals(2, withoutKeys.exitCode());
      assertTrue(withoutKeys.err().contains("private_key_jwt needs the client's public keys"), withoutKeys.err());
      assertEquals(0, toKeys.exitCode(), toKeys.err());
      assertEquals(List.of("private_key_jwt"), withKeys.getJsonArray("auth_methods").getList());
      assertEquals(List.of(key.getKeyID()), withKeys.getJsonArray("jwks_kids").getList());
      assertNull(hashWithKeys, "a client without a secret method keeps no secret");
      assertEquals(2, both.exitCode());
      assertEquals(2, keysLeftOver.exitCode(), "create's check: keys without a method that uses them");
      assertEquals(0, backToSecret.exitCode(), backToSecret.err());
      assertTrue(backToSecret.out().contains("client_secret: "), "a needed secret is generated and shown once");
      assertTrue(cli.column("SELECT secret_hash FROM clients WHERE client_id = 'app'").startsWith("$sha256$"));
    }
  }
}
