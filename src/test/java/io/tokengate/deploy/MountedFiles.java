package io.tokengate.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files a container sees through its ConfigMap and Secret volumes, written to a local directory, so that the
 * container's environment can be handed to ConfigLoader with each path it names pointing at a real file.
 */
final class MountedFiles {

  /** What a mounted key holds: the ConfigMap's or Secret's value, or empty when the object does not exist. */
  interface Contents {
    Optional<String> of(Volume volume, String key);

    /** Contents from rendered ConfigMaps and Secrets, found by the (hashed) names the volumes refer to. */
    static Contents from(List<HasMetadata> rendered) {
      return (volume, key) -> {
        if (volume.getConfigMap() != null) {
          return KubernetesObjects.ofType(rendered, ConfigMap.class).stream()
            .filter(map -> map.getMetadata().getName().equals(volume.getConfigMap().getName()))
            .findFirst()
            .map(map -> map.getData().get(key));
        }
        return KubernetesObjects.ofType(rendered, Secret.class).stream()
          .filter(secret -> secret.getMetadata().getName().equals(volume.getSecret().getSecretName()))
          .findFirst()
          // kustomize wraps long base64 values over several lines; the API server, like the MIME decoder, skips the breaks.
          .map(secret -> new String(Base64.getMimeDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
      };
    }
  }

  private MountedFiles() {
  }

  /** Writes every mounted ConfigMap and Secret key under {@code directory}; the map is container path -> local path. */
  static Map<String, Path> write(PodSpec pod, Container container, Contents contents, Path directory) throws IOException {
    Map<String, Path> files = new LinkedHashMap<>();
    for (VolumeMount mount : container.getVolumeMounts()) {
      Volume volume = pod.getVolumes().stream().filter(candidate -> candidate.getName().equals(mount.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(container.getName() + " mounts " + mount.getName() + ", which the pod lacks"));
      List<KeyToPath> items;
      boolean optional;
      if (volume.getConfigMap() != null) {
        items = volume.getConfigMap().getItems();
        optional = Boolean.TRUE.equals(volume.getConfigMap().getOptional());
      } else if (volume.getSecret() != null) {
        items = volume.getSecret().getItems();
        optional = Boolean.TRUE.equals(volume.getSecret().getOptional());
      } else {
        continue;
      }
      if (items.isEmpty()) {
        throw new AssertionError("volume " + volume.getName() + " names no items: which files it holds depends on the"
          + " object, not on the manifest");
      }
      for (KeyToPath item : items) {
        Optional<String> content = contents.of(volume, item.getKey());
        if (content.isEmpty() && optional) {
          continue;
        }
        String containerPath = mount.getMountPath() + "/" + item.getPath();
        Path local = directory.resolve(container.getName() + containerPath.replace('/', '_'));
        Files.writeString(local, content.orElseThrow(
          () -> new AssertionError("no content for " + item.getKey() + " of volume " + volume.getName())));
        files.put(containerPath, local);
      }
    }
    return files;
  }

  /** The container's literal environment, with every value that names a mounted file pointed at its local copy. */
  static Map<String, String> environment(Container container, Map<String, Path> files) {
    Map<String, String> environment = new LinkedHashMap<>();
    for (EnvVar variable : container.getEnv()) {
      if (variable.getValue() != null) {
        Path local = files.get(variable.getValue());
        environment.put(variable.getName(), local == null ? variable.getValue() : local.toString());
      }
    }
    return environment;
  }
}
