package io.tokengate.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The prod overlay's per-installation values all come from one file, k8s/overlays/prod/settings.env, each listed in
 * k8s/README.md; once it is filled in, nothing rendered holds a placeholder. With {@code -Dtokengate.prod.strict=true}
 * (an operator's CI on their own copy) the overlay as committed must render without any placeholder too.
 */
class ProdOverlayTest {

  private static final String PLACEHOLDER = "CHANGE-ME";
  private static final Path SETTINGS = K8sTree.PROD.resolve("settings.env");

  @TempDir
  Path scratch;

  @Test
  void everySettingIsListedInTheReadmeAndUsedByAReplacement() throws IOException {
    String readme = Files.readString(K8sTree.ROOT.resolve("README.md"));
    String kustomization = Files.readString(K8sTree.PROD.resolve(Kustomization.FILE_NAME));

    for (String key : settings(SETTINGS).keySet()) {
      assertTrue(readme.contains("`" + key + "`"), key + " is not listed in k8s/README.md");
      assertTrue(kustomization.contains("fieldPath: data." + key), key + " is copied into no object");
    }
  }

  @Test
  void placeholdersAppearOnlyInTheSettingsFile() throws IOException {
    try (Stream<Path> files = Files.walk(K8sTree.ROOT)) {
      List<Path> elsewhere = files.filter(Files::isRegularFile).filter(file -> !file.equals(SETTINGS))
        .filter(file -> file.toString().endsWith(".yaml") || file.toString().endsWith(".env"))
        .filter(file -> read(file).contains(PLACEHOLDER)).toList();
      assertEquals(List.of(), elsewhere, "set them from settings.env instead");
    }
  }

  @Test
  void onceTheSettingsAreFilledInNothingRenderedHoldsAPlaceholder() throws Exception {
    assumeTrue(Kustomize.available(), "kubectl is not on PATH");
    Path copy = copyOfTree();
    Map<String, String> filled = new LinkedHashMap<>(Map.of("IMAGE", "registry.test/platform/tokengate",
      "RELEASE", "2.4.1", "ISSUER", "https://login.test", "INGRESS_NAMESPACE", "edge",
      "MONITORING_NAMESPACE", "observability", "PROMETHEUS_RELEASE", "kps", "GRAFANA_NAMESPACE", "grafana"));
    assertEquals(settings(SETTINGS).keySet(), filled.keySet(), "the test fills every setting");
    StringBuilder env = new StringBuilder();
    filled.forEach((key, value) -> env.append(key).append('=').append(value).append('\n'));
    Files.writeString(copy.resolve("overlays/prod/settings.env"), env);

    String rendered = render(copy.resolve("overlays/prod"));

    assertFalse(rendered.contains(PLACEHOLDER), "a placeholder survived:\n" + lineWith(rendered, PLACEHOLDER));
    assertTrue(rendered.contains("image: registry.test/platform/tokengate:2.4.1"), "the image");
    assertFalse(rendered.contains("image: tokengate:"), "no container left on the unqualified image");
    assertTrue(rendered.contains("name: tokengate-migrate-2.4.1"), "one migration Job per release");
    assertTrue(rendered.contains("value: https://login.test"), "the issuer");
    assertTrue(rendered.contains("kubernetes.io/metadata.name: edge"), "the ingress namespace");
    assertTrue(rendered.contains("kubernetes.io/metadata.name: observability"), "the monitoring namespace");
    assertTrue(rendered.contains("release: kps"), "the Prometheus release label");
    assertTrue(rendered.contains("namespace: grafana"), "the Grafana namespace");
    assertFalse(rendered.contains("tokengate-prod-settings"), "the settings themselves are never deployed");
  }

  @Test
  void theOverlayAsCommittedRendersWithoutPlaceholdersWhenStrict() throws Exception {
    assumeTrue(Boolean.getBoolean("tokengate.prod.strict"), "only with -Dtokengate.prod.strict=true");
    assumeTrue(Kustomize.available(), "kubectl is not on PATH");

    String rendered = render(K8sTree.PROD);

    assertFalse(rendered.contains(PLACEHOLDER), "set k8s/overlays/prod/settings.env:\n" + lineWith(rendered, PLACEHOLDER));
  }

  private Path copyOfTree() throws IOException {
    Path copy = scratch.resolve("k8s");
    try (Stream<Path> walk = Files.walk(K8sTree.ROOT)) {
      for (Path source : walk.toList()) {
        Path target = copy.resolve(K8sTree.ROOT.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
    return copy;
  }

  private String render(Path overlay) throws Exception {
    Path errors = scratch.resolve("kubectl-errors.txt");
    Process kubectl = new ProcessBuilder("kubectl", "kustomize", overlay.toString()).redirectError(errors.toFile()).start();
    String output = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(kubectl.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize did not finish");
    assertEquals(0, kubectl.exitValue(), Files.readString(errors));
    return output;
  }

  private static Map<String, String> settings(Path file) throws IOException {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int equals = line.indexOf('=');
        settings.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    return settings;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  private static String lineWith(String text, String needle) {
    List<String> lines = new ArrayList<>();
    text.lines().filter(line -> line.contains(needle)).limit(10).forEach(lines::add);
    return String.join("\n", lines);
  }
}
