package io.tokengate.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The pod templates of workloads (whole objects or patches), and what their containers refer to. */
final class PodSpecs {

  record Pod(String kind, String name, PodSpec spec) {
  }

  private PodSpecs() {
  }

  static List<Pod> of(List<HasMetadata> objects) {
    List<Pod> pods = new ArrayList<>();
    for (HasMetadata object : objects) {
      PodTemplateSpec template = null;
      if (object instanceof Deployment deployment && deployment.getSpec() != null) {
        template = deployment.getSpec().getTemplate();
      } else if (object instanceof StatefulSet statefulSet && statefulSet.getSpec() != null) {
        template = statefulSet.getSpec().getTemplate();
      } else if (object instanceof Job job && job.getSpec() != null) {
        template = job.getSpec().getTemplate();
      }
      // A patch may leave out the template, or all of the spec.
      PodSpec spec = template == null ? null : template.getSpec();
      if (spec != null) {
        pods.add(new Pod(object.getKind(), object.getMetadata().getName(), spec));
      }
    }
    return pods;
  }

  /** Init containers first, then the containers. */
  static List<Container> containers(PodSpec spec) {
    List<Container> containers = new ArrayList<>(spec.getInitContainers());
    containers.addAll(spec.getContainers());
    return containers;
  }

  /** The names of the ConfigMaps and Secrets a pod mounts or reads variables from. */
  static Set<String> configReferences(PodSpec spec) {
    Set<String> names = new LinkedHashSet<>();
    for (Volume volume : spec.getVolumes()) {
      if (volume.getConfigMap() != null) {
        names.add(volume.getConfigMap().getName());
      }
      if (volume.getSecret() != null) {
        names.add(volume.getSecret().getSecretName());
      }
    }
    for (Container container : containers(spec)) {
      for (EnvFromSource source : container.getEnvFrom()) {
        if (source.getConfigMapRef() != null) {
          names.add(source.getConfigMapRef().getName());
        }
        if (source.getSecretRef() != null) {
          names.add(source.getSecretRef().getName());
        }
      }
      for (EnvVar variable : container.getEnv()) {
        if (variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null) {
          names.add(variable.getValueFrom().getSecretKeyRef().getName());
        }
        if (variable.getValueFrom() != null && variable.getValueFrom().getConfigMapKeyRef() != null) {
          names.add(variable.getValueFrom().getConfigMapKeyRef().getName());
        }
      }
    }
    return names;
  }
}
