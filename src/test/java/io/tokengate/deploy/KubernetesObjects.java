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
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads Kubernetes objects into the fabric8 model as strictly as the API server reads them: a field the type does not
 * have fails, and so does a number or boolean where the API wants a string (an unquoted {@code "false"} env value).
 */
final class KubernetesObjects {

  /** Every kind the manifests may hold, at the API version that serves it today. */
  private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
    Map.entry("v1/Namespace", Namespace.class),
    Map.entry("v1/ServiceAccount", ServiceAccount.class),
    Map.entry("v1/Service", Service.class),
    Map.entry("v1/ConfigMap", ConfigMap.class),
    Map.entry("v1/Secret", Secret.class),
    Map.entry("apps/v1/Deployment", Deployment.class),
    Map.entry("apps/v1/StatefulSet", StatefulSet.class),
    Map.entry("batch/v1/Job", Job.class),
    Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
    Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
    Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class));

  /** API groups built into Kubernetes; any other group is a custom resource's. */
  private static final Set<String> BUILT_IN_GROUPS = Set.of("", "apps", "batch", "autoscaling", "policy");

  /** Strategic-merge directives ({@code $patch: delete}, ...) are kustomize's, not fields of the object. */
  private static final String DIRECTIVE_PREFIX = "$";

  private static final JsonMapper STRICT = JsonMapper.builder()
    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
    // fabric8 types keep unknown fields in an "additionalProperties" map (a @JsonAnySetter), which would swallow a
    // typo before FAIL_ON_UNKNOWN_PROPERTIES sees it: without any-setters, an unknown field is an error.
    .annotationIntrospector(new JacksonAnnotationIntrospector() {
      @Override
      public Boolean hasAnySetter(MapperConfig<?> config, Annotated annotated) {
        return Boolean.FALSE;
      }
    })
    .withCoercionConfig(LogicalType.Textual, textual -> textual
      .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
      .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
      .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
    .build();

  private static final JsonMapper LENIENT = JsonMapper.builder().build();

  private KubernetesObjects() {
  }

  /** The YAML documents of a file or of rendered output, as plain maps; empty documents are skipped. */
  static List<Map<String, Object>> documents(String yaml) {
    List<Map<String, Object>> documents = new ArrayList<>();
    for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
      if (document == null) {
        continue;
      }
      if (!(document instanceof Map<?, ?> map)) {
        throw new IllegalArgumentException("a YAML document that is not a mapping: " + document);
      }
      documents.add(stringKeys(map));
    }
    return documents;
  }

  static boolean isObject(Map<String, Object> document) {
    return document.containsKey("apiVersion") && document.containsKey("kind");
  }

  /** A built-in object in its fabric8 type, strictly; an unknown kind or API version fails. */
  static HasMetadata parse(Map<String, Object> document) {
    Class<? extends HasMetadata> type = KINDS.get(typeKey(document));
    if (type == null) {
      throw new IllegalArgumentException("not a kind these manifests may use: " + typeKey(document)
        + " (known: " + KINDS.keySet().stream().sorted().collect(Collectors.joining(", ")) + ")");
    }
    return STRICT.convertValue(withoutDirectives(document), type);
  }

  /** Like {@link #parse}, except that custom resources (Prometheus Operator's, ...) are read as generic objects. */
  static HasMetadata parseAllowingCustomResources(Map<String, Object> document) {
    if (BUILT_IN_GROUPS.contains(group(document)) || group(document).endsWith(".k8s.io")) {
      return parse(document);
    }
    return LENIENT.convertValue(document, GenericKubernetesResource.class);
  }

  static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> type, String name) {
    return ofType(objects, type).stream()
      .filter(object -> object.getMetadata().getName().equals(name))
      .findFirst()
      .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  private static String typeKey(Map<String, Object> document) {
    return document.get("apiVersion") + "/" + document.get("kind");
  }

  private static String group(Map<String, Object> document) {
    String apiVersion = String.valueOf(document.get("apiVersion"));
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  private static Object withoutDirectives(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((key, nested) -> {
        if (!String.valueOf(key).startsWith(DIRECTIVE_PREFIX)) {
          copy.put(String.valueOf(key), withoutDirectives(nested));
        }
      });
      return copy;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(KubernetesObjects::withoutDirectives).toList();
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> stringKeys(Map<?, ?> map) {
    map.keySet().forEach(key -> {
      if (!(key instanceof String)) {
        throw new IllegalArgumentException("a YAML key that is not a string: " + key);
      }
    });
    return (Map<String, Object>) map;
  }
}
