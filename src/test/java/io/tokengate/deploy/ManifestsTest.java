package io.tokengate.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** k8s/ holds valid Kubernetes objects, and `kubectl apply -k` on each overlay would deploy a complete stack. */
class ManifestsTest {

  private static final List<String> DEPRECATED_FIELDS =
    List.of("commonLabels", "bases", "patchesStrategicMerge", "patchesJson6902", "vars", "imageTags");

  @TempDir
  Path scratch;

  @Test
  void everyObjectUnderBaseAndOverlaysParsesStrictlyAsItsKubernetesType() {
    int parsed = 0;
    for (Path file : K8sTree.yamlFiles()) {
      for (Map<String, Object> document : K8sTree.documents(file)) {
        if (KubernetesObjects.isObject(document) && !file.endsWith(Kustomization.FILE_NAME)) {
          try {
            KubernetesObjects.parse(document);
          } catch (RuntimeException e) {
            throw new AssertionError(file + ": " + e.getMessage(), e);
          }
          parsed++;
        }
      }
    }
    assertTrue(parsed >= 15, "parsed only " + parsed + " objects");
  }

  @Test
  void aMistypedFieldFailsTheStrictParse() {
    String deployment = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: tokengate
      spec:
        template:
          spec:
            containers:
              - name: tokengate
                image: tokengate:latest
                imagePullPolcy: IfNotPresent
      """;
    Map<String, Object> document = KubernetesObjects.documents(deployment).get(0);

    RuntimeException failure = assertThrows(RuntimeException.class, () -> KubernetesObjects.parse(document));
    assertTrue(failure.getMessage().contains("imagePullPolcy"), failure.getMessage());
    // The same object without the typo parses: it is the field, nothing else, that fails.
    KubernetesObjects.parse(KubernetesObjects.documents(deployment.replace("Polcy", "Policy")).get(0));
  }

  @Test
  void anUnquotedBooleanWhereKubernetesWantsAStringFails() {
    String env = """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: example
      data:
        migrate: false
      """;

    assertThrows(RuntimeException.class, () -> KubernetesObjects.parse(KubernetesObjects.documents(env).get(0)));
  }

  @Test
  void aRetiredApiVersionFails() {
    String hpa = """
      apiVersion: autoscaling/v2beta2
      kind: HorizontalPodAutoscaler
      metadata:
        name: tokengate
      """;

    assertThrows(IllegalArgumentException.class, () -> KubernetesObjects.parse(KubernetesObjects.documents(hpa).get(0)));
  }

  @Test
  void everyFileAKustomizationNamesExists() throws Exception {
    Path tree = Kustomize.treeWithMonitoring(scratch);
    List<String> missing = new ArrayList<>();
    for (Kustomization kustomization : K8sTree.kustomizations()) {
      Kustomization inTree = Kustomization.read(tree.resolve(K8sTree.ROOT.relativize(kustomization.file()).toString()));
      inTree.missingReferences().forEach(reference -> missing.add(kustomization.file() + " " + reference));
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void everyYamlFileIsDeployedPatchedOrReadByAGenerator() {
    Set<Path> named = new HashSet<>();
    for (Kustomization kustomization : K8sTree.kustomizations()) {
      named.add(kustomization.file().normalize());
      Stream.of(kustomization.resources(), kustomization.patches(), kustomization.generatorFiles())
        .flatMap(List::stream)
        .forEach(path -> named.add(path.normalize()));
    }
    List<Path> orphans = K8sTree.yamlFiles().stream().filter(file -> !named.contains(file.normalize())).toList();
    assertEquals(List.of(), orphans, "YAML files that no kustomization deploys: a manifest here would silently not apply");
  }

  @Test
  void kustomizationsUseNoDeprecatedFields() {
    for (Kustomization kustomization : K8sTree.kustomizations()) {
      for (String field : DEPRECATED_FIELDS) {
        assertFalse(kustomization.content().containsKey(field), kustomization.file() + " uses " + field);
      }
    }
  }

  @Test
  void devRendersACompleteStackInItsOwnNamespace() throws Exception {
    assumeTrue(Kustomize.available(), "kubectl is not on PATH");
    List<HasMetadata> dev = Kustomize.render(K8sTree.DEV, scratch);

    for (HasMetadata object : dev) {
      if (!(object instanceof Namespace)) {
        assertEquals("tokengate-dev", object.getMetadata().getNamespace(), object.getKind() + " " + object.getMetadata().getName());
      }
    }
    KubernetesObjects.named(dev, Namespace.class, "tokengate-dev");
    KubernetesObjects.named(dev, ServiceAccount.class, "tokengate");
    KubernetesObjects.named(dev, Deployment.class, "tokengate");
    KubernetesObjects.named(dev, Service.class, "tokengate");
    KubernetesObjects.named(dev, Service.class, "tokengate-metrics");
    KubernetesObjects.named(dev, Service.class, "postgres");
    KubernetesObjects.named(dev, StatefulSet.class, "postgres");
    KubernetesObjects.named(dev, Job.class, "tokengate-migrate");
    KubernetesObjects.named(dev, HorizontalPodAutoscaler.class, "tokengate");
    KubernetesObjects.named(dev, NetworkPolicy.class, "tokengate");
    assertTrue(KubernetesObjects.ofType(dev, ConfigMap.class).stream()
      .anyMatch(map -> map.getMetadata().getName().startsWith("tokengate-config-")));
    assertEquals(Set.of("tokengate-database", "tokengate-signing-keys", "tokengate-sealing-keys", "postgres"),
      secretBaseNames(dev));
    // One replica cannot honour the base's minAvailable: 2; dev drops the budget.
    assertEquals(List.of(), KubernetesObjects.ofType(dev, PodDisruptionBudget.class));
    assertEquals(1, KubernetesObjects.named(dev, Deployment.class, "tokengate").getSpec().getReplicas());
    HorizontalPodAutoscaler hpa = KubernetesObjects.named(dev, HorizontalPodAutoscaler.class, "tokengate");
    assertEquals(1, hpa.getSpec().getMinReplicas());
    assertEquals(2, hpa.getSpec().getMaxReplicas());
    // A dev cluster may lack the Prometheus Operator's CRDs.
    assertEquals(List.of(), KubernetesObjects.ofType(dev, GenericKubernetesResource.class));
  }

  @Test
  void devPodsUseTheGeneratedSecretsAndConfig() throws Exception {
    assumeTrue(Kustomize.available(), "kubectl is not on PATH");
    List<HasMetadata> dev = Kustomize.render(K8sTree.DEV, scratch);
    Set<String> rendered = new HashSet<>();
    KubernetesObjects.ofType(dev, Secret.class).forEach(secret -> rendered.add(secret.getMetadata().getName()));
    KubernetesObjects.ofType(dev, ConfigMap.class).forEach(map -> rendered.add(map.getMetadata().getName()));

    // kustomize renames generated objects (name + content hash) and every reference with them; a reference it missed
    // would leave a pod waiting for an object that does not exist.
    for (PodSpecs.Pod pod : PodSpecs.of(dev)) {
      for (String reference : PodSpecs.configReferences(pod.spec())) {
        assertTrue(rendered.contains(reference), pod.name() + " refers to " + reference + ", which dev does not create");
      }
    }
  }

  @Test
  void devLetsTokengateReachPostgresThroughItsNetworkPolicy() throws Exception {
    assumeTrue(Kustomize.available(), "kubectl is not on PATH");
    List<HasMetadata> dev = Kustomize.render(K8sTree.DEV, scratch);
    NetworkPolicy policy = KubernetesObjects.named(dev, NetworkPolicy.class, "tokengate");
    Map<String, String> postgresPod = KubernetesObjects.named(dev, StatefulSet.class, "postgres")
      .getSpec().getTemplate().getMetadata().getLabels();
    int postgresPort = KubernetesObjects.named(dev, Service.class, "postgres").getSpec().getPorts().get(0).getPort();

    boolean allowed = policy.getSpec().getEgress().stream()
      .filter(rule -> NetworkPolicies.allowsTcpPort(rule, postgresPort))
      .anyMatch(rule -> NetworkPolicies.allowsPodInOwnNamespace(rule, postgresPod));
    assertTrue(allowed, "no egress rule lets tokengate reach postgres:" + postgresPort);
    assertTrue(policy.getSpec().getEgress().stream().anyMatch(ManifestsTest::allowsDns), "no egress rule for DNS");
  }

  @Test
  void prodRendersWithMonitoringAPinnedImageAndNoSecrets() throws Exception {
    assumeTrue(Kustomize.available(), "kubectl is not on PATH");
    List<HasMetadata> prod = Kustomize.render(Kustomize.treeWithMonitoring(scratch).resolve("overlays/prod"), scratch);

    for (HasMetadata object : prod) {
      // The dashboard goes where Grafana's sidecar looks (GRAFANA_NAMESPACE in settings.env).
      if (!object.getMetadata().getName().equals("tokengate-grafana-dashboard")) {
        assertEquals("tokengate", object.getMetadata().getNamespace(), object.getKind() + " " + object.getMetadata().getName());
      }
    }
    // Real secrets are created out of band; nothing in the repository may stand in for them.
    assertEquals(List.of(), KubernetesObjects.ofType(prod, Secret.class));
    assertTrue(prod.stream().anyMatch(object -> object.getKind().equals("ServiceMonitor")), "no ServiceMonitor");
    Deployment deployment = KubernetesObjects.named(prod, Deployment.class, "tokengate");
    HorizontalPodAutoscaler hpa = KubernetesObjects.named(prod, HorizontalPodAutoscaler.class, "tokengate");
    assertTrue(hpa.getSpec().getMinReplicas() > 3, "prod raises the autoscaler's floor above the base's 3");
    assertEquals(hpa.getSpec().getMinReplicas(), deployment.getSpec().getReplicas());
    KubernetesObjects.named(prod, PodDisruptionBudget.class, "tokengate");

    Set<String> images = new HashSet<>();
    PodSpecs.of(prod).forEach(pod -> PodSpecs.containers(pod.spec()).forEach(container -> images.add(container.getImage())));
    assertEquals(1, images.size(), "the gateway, its init container and the migration Job run one version: " + images);
    String image = images.iterator().next();
    assertTrue(image.matches("[^:]+/tokengate:\\d+\\.\\d+\\.\\d+"), "prod pins a registry and a release tag: " + image);
  }

  @Test
  void devAndProdRunOneVersionForTheGatewayAndItsMigrations() throws Exception {
    assumeTrue(Kustomize.available(), "kubectl is not on PATH");
    List<HasMetadata> dev = Kustomize.render(K8sTree.DEV, scratch);
    Set<String> images = new HashSet<>();
    PodSpecs.of(dev).stream()
      .filter(pod -> !pod.name().equals("postgres"))
      .forEach(pod -> PodSpecs.containers(pod.spec()).forEach(container -> images.add(container.getImage())));

    assertEquals(1, images.size(), images.toString());
  }

  private static Set<String> secretBaseNames(List<HasMetadata> objects) {
    Set<String> names = new HashSet<>();
    for (Secret secret : KubernetesObjects.ofType(objects, Secret.class)) {
      String name = secret.getMetadata().getName();
      names.add(name.substring(0, name.lastIndexOf('-')));
    }
    return names;
  }

  private static boolean allowsDns(NetworkPolicyEgressRule rule) {
    return NetworkPolicies.allowsTcpPort(rule, 53) && rule.getPorts().stream()
      .anyMatch(port -> "UDP".equals(port.getProtocol()) && port.getPort().getIntVal() == 53);
  }
}
