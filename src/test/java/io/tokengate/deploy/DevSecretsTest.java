package io.tokengate.deploy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.tokengate.config.Config;
import io.tokengate.config.ConfigLoader;
import io.tokengate.config.DatabaseUrl;
import io.tokengate.token.SigningKey;
import io.vertx.pgclient.PgConnectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The dev overlay's committed secrets are usable: the stack it deploys starts without anything made by hand. */
class DevSecretsTest {

  private static final Path SECRETS = K8sTree.DEV.resolve("secrets");

  @TempDir
  Path scratch;

  @Test
  void theDevSigningKeyIsAPrivateEs256KeyThatSaysItIsForDevOnly() throws Exception {
    JWKSet set = JWKSet.parse(K8sTree.read(SECRETS.resolve("jwks.json")));

    assertEquals(1, set.getKeys().size());
    JWK key = set.getKeys().get(0);
    assertTrue(SigningKey.fits(key, JWSAlgorithm.ES256), "a private P-256 key for ES256");
    assertTrue(key.getKeyID().startsWith("dev-only"), "its kid, in every token it signs, says dev only: " + key.getKeyID());
  }

  @Test
  void theDevEncryptionKeyIs32Bytes() {
    // One keyring item, id:key, whose id says dev only.
    String item = K8sTree.read(SECRETS.resolve("sealing-keys")).strip();
    assertTrue(item.startsWith("dev-only:"), item.substring(0, Math.max(0, item.indexOf(':'))));
    byte[] key = Base64.getDecoder().decode(item.substring(item.indexOf(':') + 1));

    assertEquals(32, key.length);
  }

  @Test
  void theDevDatabaseUrlNamesTheDevPostgresAndItsAccount() throws Exception {
    PgConnectOptions url = DatabaseUrl.parse(K8sTree.read(SECRETS.resolve("database-url")).strip(), "database-url")
      .connectOptions();
    Properties postgres = new Properties();
    postgres.load(new StringReader(K8sTree.read(SECRETS.resolve("postgres.env"))));
    Service service = KubernetesObjects.named(K8sTree.resourcesOf(K8sTree.DEV), Service.class, "postgres");

    assertEquals(service.getMetadata().getName(), url.getHost());
    assertEquals(service.getSpec().getPorts().get(0).getPort(), url.getPort());
    assertEquals(postgres.getProperty("POSTGRES_USER"), url.getUser());
    assertEquals(postgres.getProperty("POSTGRES_PASSWORD"), url.getPassword());
    assertEquals(postgres.getProperty("POSTGRES_DB"), url.getDatabase());
  }

  @Test
  void theDevGatewayLoadsTheConfigurationDevRendersForIt() throws Exception {
    assumeTrue(Kustomize.available(), "kubectl is not on PATH");
    List<HasMetadata> dev = Kustomize.render(K8sTree.DEV, scratch);
    Deployment deployment = KubernetesObjects.named(dev, Deployment.class, "tokengate");
    Container gateway = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

    Map<String, Path> files = MountedFiles.write(deployment.getSpec().getTemplate().getSpec(), gateway,
      MountedFiles.Contents.from(dev), Files.createDirectories(scratch.resolve("mounted")));
    Config config = ConfigLoader.load(null, MountedFiles.environment(gateway, files));

    assertEquals("http://localhost:8080", config.issuer().toString(), "the port-forwarded address");
    assertEquals("postgres", config.database().url().connectOptions().getHost());
    assertTrue(config.keyring().canSeal(io.tokengate.crypto.Purpose.CLIENT_SECRET), "the dev keyring seals");
    JWKSet keys = JWKSet.parse(Files.readString(config.tokens().jwksFile().orElseThrow()));
    assertTrue(keys.getKeys().stream().anyMatch(key -> SigningKey.fits(key, JWSAlgorithm.parse(config.tokens().signingAlgorithm()))));
  }
}
