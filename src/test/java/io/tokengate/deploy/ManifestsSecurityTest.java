package io.tokengate.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every pod the manifests run is locked down, and every container is bounded in CPU and memory. */
class ManifestsSecurityTest {

  private static final int SECRET_MODE = 0440;

  @TempDir
  Path scratch;

  private final List<PodSpecs.Pod> pods = PodSpecs.of(K8sTree.allResources());

  @Test
  void theManifestsRunTheGatewayTheMigrationAndDevPostgres() {
    assertEquals(List.of("Deployment tokengate", "Job tokengate-migrate", "StatefulSet postgres"),
      pods.stream().map(pod -> pod.kind() + " " + pod.name()).sorted().toList());
  }

  @Test
  void everyPodRunsAsANonRootUserWithTheRuntimeDefaultSeccompProfile() {
    for (PodSpecs.Pod pod : pods) {
      PodSecurityContext context = pod.spec().getSecurityContext();
      assertNotNull(context, pod.name());
      assertEquals(Boolean.TRUE, context.getRunAsNonRoot(), pod.name());
      assertTrue(context.getRunAsUser() > 0, pod.name());
      assertTrue(context.getRunAsGroup() > 0, pod.name());
      assertTrue(context.getFsGroup() > 0, pod.name());
      assertEquals("RuntimeDefault", context.getSeccompProfile().getType(), pod.name());
    }
  }

  @Test
  void tokengatePodsRunAsTheImageUser() {
    pods.stream().filter(pod -> !pod.name().equals("postgres")).forEach(pod -> {
      assertEquals(10001L, pod.spec().getSecurityContext().getRunAsUser(), pod.name());
      assertEquals(10001L, pod.spec().getSecurityContext().getRunAsGroup(), pod.name());
      assertEquals(10001L, pod.spec().getSecurityContext().getFsGroup(), pod.name());
      assertEquals("tokengate", pod.spec().getServiceAccountName(), pod.name());
    });
  }

  @Test
  void everyContainerIsLockedDown() {
    for (PodSpecs.Pod pod : pods) {
      for (Container container : PodSpecs.containers(pod.spec())) {
        String name = pod.name() + "/" + container.getName();
        SecurityContext context = container.getSecurityContext();
        assertNotNull(context, name);
        assertEquals(Boolean.FALSE, context.getAllowPrivilegeEscalation(), name);
        assertEquals(Boolean.TRUE, context.getReadOnlyRootFilesystem(), name);
        assertEquals(List.of("ALL"), context.getCapabilities().getDrop(), name);
        assertTrue(context.getCapabilities().getAdd().isEmpty(), name);
        assertFalse(Boolean.TRUE.equals(context.getPrivileged()), name);
      }
    }
  }

  @Test
  void everyContainerRequestsAndLimitsCpuAndMemory() {
    for (PodSpecs.Pod pod : pods) {
      for (Container container : PodSpecs.containers(pod.spec())) {
        assertBounded(pod.name() + "/" + container.getName(), container.getResources().getRequests(),
          container.getResources().getLimits());
      }
    }
  }

  @Test
  void everyRenderedContainerIsBoundedAndLockedDownAfterThePatches() throws Exception {
    assumeTrue(Kustomize.available(), "kubectl is not on PATH");
    for (Path overlay : List.of(K8sTree.DEV, Kustomize.treeWithMonitoring(scratch).resolve("overlays/prod"))) {
      for (PodSpecs.Pod pod : PodSpecs.of(Kustomize.render(overlay, scratch))) {
        for (Container container : PodSpecs.containers(pod.spec())) {
          String name = overlay + " " + pod.name() + "/" + container.getName();
          assertBounded(name, container.getResources().getRequests(), container.getResources().getLimits());
          assertEquals(Boolean.TRUE, container.getSecurityContext().getReadOnlyRootFilesystem(), name);
        }
      }
    }
  }

  @Test
  void tokengateContainersHaveAWritableTmpOnly() {
    pods.stream().filter(pod -> !pod.name().equals("postgres")).forEach(pod -> {
      for (Container container : PodSpecs.containers(pod.spec())) {
        for (VolumeMount mount : container.getVolumeMounts()) {
          Volume volume = volume(pod, mount.getName());
          if (volume.getEmptyDir() != null) {
            assertEquals("/tmp", mount.getMountPath(), pod.name() + "/" + container.getName());
          } else {
            assertEquals(Boolean.TRUE, mount.getReadOnly(), pod.name() + "/" + container.getName() + " " + mount.getMountPath());
          }
        }
      }
    });
  }

  @Test
  void secretsAreMountedReadableByTheGroupOnly() {
    for (PodSpecs.Pod pod : pods) {
      for (Volume volume : pod.spec().getVolumes()) {
        if (volume.getSecret() != null) {
          assertEquals(SECRET_MODE, volume.getSecret().getDefaultMode(), pod.name() + " " + volume.getName());
        }
      }
    }
  }

  @Test
  void noPodMountsAKubernetesApiToken() {
    for (PodSpecs.Pod pod : pods) {
      assertEquals(Boolean.FALSE, pod.spec().getAutomountServiceAccountToken(), pod.name());
    }
    List<HasMetadata> base = K8sTree.resourcesOf(K8sTree.BASE);
    assertEquals(Boolean.FALSE, KubernetesObjects.named(base, ServiceAccount.class, "tokengate").getAutomountServiceAccountToken());
  }

  private static Volume volume(PodSpecs.Pod pod, String name) {
    return pod.spec().getVolumes().stream().filter(volume -> volume.getName().equals(name)).findFirst()
      .orElseThrow(() -> new AssertionError(pod.name() + " has no volume " + name));
  }

  private static void assertBounded(String name, Map<String, Quantity> requests, Map<String, Quantity> limits) {
    for (String resource : List.of("cpu", "memory")) {
      assertNotNull(requests.get(resource), name + " requests no " + resource);
      assertNotNull(limits.get(resource), name + " has no " + resource + " limit");
      assertTrue(requests.get(resource).getNumericalAmount().compareTo(limits.get(resource).getNumericalAmount()) <= 0,
        name + " requests more " + resource + " than its limit");
    }
  }
}
