package io.tokengate.cli;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** keys rotate, keys list and keys generate --rotate, from the command line. */
class KeysCliTest {

  @TempDir
  Path directory;

  @Test
  void rotatePublishesASealedNextKeyThatListShowsWithItsDates() {
    String keyring = "k1:" + Base64.getEncoder().encodeToString(new byte[32]);
    try (CliSession cli = new CliSession(directory, "secrets:\n  sealing_keys: [\"" + keyring + "\"]\n"
      + "tokens:\n  key_publication_delay: 2h\n")) {
      CliSession.Run first = cli.run("keys", "rotate");
      CliSession.Run rotated = cli.run("keys", "rotate", "--output", "json");
      CliSession.Run again = cli.run("keys", "rotate");
      CliSession.Run listed = cli.run("keys", "list", "--output", "json");
      CliSession.Run table = cli.run("keys", "list");

      assertEquals(0, first.exitCode(), first.err());
      assertTrue(first.out().contains("there was none, it signs now"), first.out());
      assertEquals(0, rotated.exitCode(), rotated.err());
      JsonObject next = new JsonObject(rotated.out());
      assertEquals("next", next.getString("state"));
      Instant signsFrom = Instant.parse(next.getString("signs_from"));
      Instant created = Instant.parse(next.getString("created_at"));
      assertEquals(7200, signsFrom.getEpochSecond() - created.getEpochSecond(), "tokens.key_publication_delay");
      assertEquals(1, again.exitCode());
      assertEquals(1, again.err().strip().lines().count(), again.err());
      assertTrue(again.err().contains("rotate again after"), again.err());
      JsonArray keys = new JsonArray(listed.out());
      assertEquals(List.of("active", "next"), keys.stream().map(key -> ((JsonObject) key).getString("state")).toList());
      assertEquals(List.of("kid", "algorithm", "state", "created_at", "signs_from", "retired_at", "published_until"),
        List.copyOf(keys.getJsonObject(1).fieldNames()));
      assertTrue(table.out().contains(next.getString("kid")) && table.out().contains("next"), table.out());
      assertFalse(table.out().contains("\"d\""), "never key material");
      assertNull(cli.column("SELECT private_jwk FROM signing_keys WHERE kid = $1", next.getString("kid")));
      assertNotNull(cli.column("SELECT private_jwk_sealed FROM signing_keys WHERE kid = $1", next.getString("kid")),
        "sealed like the first key, since the keyring has a key");
    }
  }

  @Test
  void rotateWithAJwksFileConfiguredPointsToTheFileFlow() throws Exception {
    Path file = Files.writeString(directory.resolve("jwks.json"), "{\"keys\":[]}");
    try (CliSession cli = new CliSession(directory, "tokens:\n  jwks_file: " + file + "\n")) {
      CliSession.Run refused = cli.run("keys", "rotate");

      assertEquals(1, refused.exitCode());
      assertTrue(refused.err().contains("keys generate --rotate"), refused.err());
    }
  }

  @Test
  void generateRotateMarksTheNewKeyAndKeepsTheSigningKeyPrivate() throws Exception {
    try (CliSession cli = new CliSession(directory)) {
      Path current = Files.writeString(directory.resolve("current.json"), cli.run("keys", "generate").out());
      CliSession.Run rotated = cli.run("keys", "generate", "--rotate", current.toString(), "--sign-after", "90m");
      Path next = Files.writeString(directory.resolve("next.json"), rotated.out());
      CliSession.Run again = cli.run("keys", "generate", "--rotate", next.toString());

      assertEquals(0, rotated.exitCode(), rotated.err());
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> keys = (List<Map<String, Object>>) (List<?>) JSONObjectUtils.getJSONArray(
        JSONObjectUtils.parse(rotated.out()), "keys");
      Instant signFrom = Instant.parse((String) keys.get(0).get("sign_from"));
      assertTrue(signFrom.isAfter(Instant.now().plusSeconds(89 * 60)), signFrom.toString());
      JWK previous = JWKSet.parse(Files.readString(current)).getKeys().get(0);
      assertEquals(previous.getKeyID(), keys.get(1).get("kid"));
      assertTrue(keys.get(1).containsKey("d"), "the key signing now keeps signing until then");
      assertEquals(1, again.exitCode(), "a second rotation waits for the first");
      assertTrue(again.err().contains("rotate again after"), again.err());
      assertEquals(JWSAlgorithm.ES256.getName(), keys.get(0).get("alg"));
    }
  }
}
