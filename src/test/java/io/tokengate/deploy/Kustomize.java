package io.tokengate.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Renders an overlay the way {@code kubectl apply -k} would, with the kustomize built into kubectl (works offline). */
final class Kustomize {

  private Kustomize() {
  }

  static boolean available() {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(File.pathSeparator))
      .anyMatch(directory -> !directory.isEmpty() && Files.isExecutable(Path.of(directory, "kubectl")));
  }

  /** Every rendered object; custom resources (the monitoring ones) as generic objects, the rest strictly typed. */
  static List<HasMetadata> render(Path overlay, Path scratch) throws IOException, InterruptedException {
    Path errors = scratch.resolve("kubectl-errors.txt");
    Process kubectl = new ProcessBuilder("kubectl", "kustomize", overlay.toString())
      .redirectError(errors.toFile())
      .start();
    String output = new String(kubectl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!kubectl.waitFor(60, TimeUnit.SECONDS)) {
      kubectl.destroyForcibly();
      throw new AssertionError("kubectl kustomize " + overlay + " did not finish within 60 s");
    }
    if (kubectl.exitValue() != 0) {
      throw new AssertionError("kubectl kustomize " + overlay + " failed: " + Files.readString(errors));
    }
    return KubernetesObjects.documents(output).stream().map(KubernetesObjects::parseAllowingCustomResources).toList();
  }

  /**
   * The k8s/ tree to render prod from. k8s/monitoring (the ServiceMonitor, PrometheusRule and dashboard that prod
   * includes) is written on another branch: until it is merged, a copy of k8s/ with a stand-in ServiceMonitor lets
   * prod render. Once k8s/monitoring exists, the real one is used and the stand-in is never made.
   */
  static Path treeWithMonitoring(Path scratch) throws IOException {
    if (Files.isRegularFile(K8sTree.ROOT.resolve("monitoring").resolve(Kustomization.FILE_NAME))) {
      return K8sTree.ROOT;
    }
    Path copy = scratch.resolve("k8s");
    try (Stream<Path> walk = Files.walk(K8sTree.ROOT)) {
      for (Path source : walk.toList()) {
        Path target = copy.resolve(K8sTree.ROOT.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    Path monitoring = Files.createDirectories(copy.resolve("monitoring"));
    Files.writeString(monitoring.resolve(Kustomization.FILE_NAME), """
      apiVersion: kustomize.config.k8s.io/v1beta1
      kind: Kustomization
      resources:
        - servicemonitor.yaml
      """);
    Files.writeString(monitoring.resolve("servicemonitor.yaml"), """
      apiVersion: monitoring.coreos.com/v1
      kind: ServiceMonitor
      metadata:
        name: tokengate
      spec:
        selector:
          matchLabels:
            app.kubernetes.io/name: tokengate
            app.kubernetes.io/component: metrics
        endpoints:
          - port: management
            path: /metrics
      """);
    return copy;
  }
}
