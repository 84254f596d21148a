package io.tokengate.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A kustomization.yaml. Not a Kubernetes object: read as a YAML map, for the files and directories it names. */
record Kustomization(Path file, Map<String, Object> content) {

  static final String FILE_NAME = "kustomization.yaml";

  static Kustomization read(Path file) {
    try {
      Map<String, Object> content = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
      return new Kustomization(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path directory() {
    return file.getParent();
  }

  /** Files of objects and directories of other kustomizations. */
  List<Path> resources() {
    return strings(content.get("resources")).stream().map(directory()::resolve).toList();
  }

  /** Patch files ({@code patches[].path}); inline patches name no file. */
  List<Path> patches() {
    return maps(content.get("patches")).stream()
      .filter(patch -> patch.containsKey("path"))
      .map(patch -> directory().resolve(String.valueOf(patch.get("path"))))
      .toList();
  }

  /** The files that configMapGenerator and secretGenerator read ({@code files}, as {@code [key=]path}, and {@code envs}). */
  List<Path> generatorFiles() {
    List<Path> files = new ArrayList<>();
    for (String generator : List.of("configMapGenerator", "secretGenerator")) {
      for (Map<String, Object> entry : maps(content.get(generator))) {
        for (String source : strings(entry.get("files"))) {
          files.add(directory().resolve(source.substring(source.indexOf('=') + 1)));
        }
        strings(entry.get("envs")).forEach(env -> files.add(directory().resolve(env)));
      }
    }
    return files;
  }

  /** Every name in this file that does not exist: a missing file, or a directory without a kustomization. */
  List<String> missingReferences() {
    List<String> missing = new ArrayList<>();
    for (Path resource : resources()) {
      boolean exists = Files.isDirectory(resource)
        ? Files.isRegularFile(resource.resolve(FILE_NAME))
        : Files.isRegularFile(resource);
      if (!exists) {
        missing.add("resources: " + resource);
      }
    }
    patches().stream().filter(path -> !Files.isRegularFile(path)).forEach(path -> missing.add("patches: " + path));
    generatorFiles().stream().filter(path -> !Files.isRegularFile(path))
      .forEach(path -> missing.add("generator: " + path));
    return missing;
  }

  private static List<String> strings(Object value) {
    if (value == null) {
      return List.of();
    }
    return ((List<?>) value).stream().map(String::valueOf).toList();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> maps(Object value) {
    return value == null ? List.of() : (List<Map<String, Object>>) value;
  }
}
