package io.tokengate.claims;

import io.tokengate.config.ConfigException;
import io.tokengate.support.Http;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a claim mapping may not do: produce a claim tokengate owns, or a token over tokens.max_size. */
@ExtendWith(VertxExtension.class)
class ClaimLimitsTest {

  private static final String PASSWORD = "correct horse battery staple";

  @TempDir
  Path directory;

  @Test
  void aMappingOntoAnOwnedClaimStopsTheStartWithOneClearLine() throws Exception {
    for (String section : List.of("access_token", "id_token")) {
      Path yaml = Files.writeString(directory.resolve(section + ".yaml"), """
        claims:
          %s:
            sub: employee_id
        """.formatted(section));
      ConfigException refused = assertThrows(ConfigException.class,
        () -> TestGateway.start(Map.of("TOKENGATE_CONFIG", yaml.toString())));
      assertTrue(refused.getMessage().contains("claims." + section + ".sub"), refused.getMessage());
      assertTrue(refused.getMessage().contains("tokengate's own"), refused.getMessage());
      assertTrue(refused.getMessage().lines().count() == 1, refused.getMessage());
    }
  }

  @Test
  void aTokenOverMaxSizeIsServerErrorAndTheAuditNamesTheLargestClaim(Vertx vertx) throws Exception {
    Path yaml = Files.writeString(directory.resolve("tokengate.yaml"), """
      tokens:
        max_size: 1KiB
      claims:
        access_token:
          email: mail
          bio: biography
      """);
    List<String> audit = new ArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        synchronized (audit) {
          audit.add(record.getMessage());
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    try (TestGateway gateway = TestGateway.start(Map.of("TOKENGATE_CONFIG", yaml.toString()))) {
      // After the start, which sets up logging.
      Logger.getLogger("tokengate.audit").addHandler(capture);
      Http http = new Http(vertx, gateway.port());
      String secret = gateway.createClient("app", Set.of("password"), List.of("read"), List.of("read"));
      gateway.createUser("alice", PASSWORD);
      gateway.createUser("bob", PASSWORD);
      gateway.sql("UPDATE users SET attributes = jsonb_build_object('mail', 'alice@example.com', 'biography', "
        + "repeat('x', 2000)) WHERE username = 'alice'");

      HttpResponse<Buffer> tooLarge = http.tokenWithBasic("app", secret, form("grant_type", "password",
        "username", "alice", "password", PASSWORD));
      assertEquals(500, tooLarge.statusCode());
      assertEquals("server_error", tooLarge.bodyAsJsonObject().getString("error"));
      assertEquals(200, http.tokenWithBasic("app", secret, form("grant_type", "password", "username", "bob",
        "password", PASSWORD)).statusCode(), "a token within the size is issued");
      for (int attempt = 0; attempt < 200; attempt++) {
        synchronized (audit) {
          if (audit.stream().anyMatch(line -> line.contains("token_too_large") && line.contains("largest claim bio"))) {
            return;
          }
        }
        Thread.sleep(10);
      }
      throw new AssertionError("no audit line naming the largest claim: " + audit);
    } finally {
      Logger.getLogger("tokengate.audit").removeHandler(capture);
    }
  }
}
