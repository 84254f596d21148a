package io.tokengate.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The repository's k8s/ folder: its kustomizations and the files they deploy. Tests run from the repository root. */
final class K8sTree {

  static final Path ROOT = Path.of("k8s");
  static final Path BASE = ROOT.resolve("base");
  static final Path DEV = ROOT.resolve("overlays/dev");
  static final Path PROD = ROOT.resolve("overlays/prod");

  private K8sTree() {
  }

  /** Every YAML file under k8s/base and k8s/overlays (k8s/monitoring is another team's, tested with it). */
  static List<Path> yamlFiles() {
    List<Path> files = new ArrayList<>();
    for (Path directory : List.of(BASE, ROOT.resolve("overlays"))) {
      try (Stream<Path> walk = Files.walk(directory)) {
        walk.filter(Files::isRegularFile)
          .filter(file -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml"))
          .sorted()
          .forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  static List<Kustomization> kustomizations() {
    return yamlFiles().stream()
      .filter(file -> file.getFileName().toString().equals(Kustomization.FILE_NAME))
      .map(Kustomization::read)
      .toList();
  }

  static List<Map<String, Object>> documents(Path file) {
    return KubernetesObjects.documents(read(file));
  }

  /** The complete objects that one kustomization lists as its own resources (not those of kustomizations it includes). */
  static List<HasMetadata> resourcesOf(Path directory) {
    return Kustomization.read(directory.resolve(Kustomization.FILE_NAME)).resources().stream()
      .filter(Files::isRegularFile)
      .flatMap(file -> documents(file).stream())
      .map(KubernetesObjects::parse)
      .toList();
  }

  /** The objects in base and every overlay's own resources: each pod spec, whole. */
  static List<HasMetadata> allResources() {
    return Stream.of(BASE, DEV, PROD).flatMap(directory -> resourcesOf(directory).stream()).toList();
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
