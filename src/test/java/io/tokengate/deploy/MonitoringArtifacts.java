package io.tokengate.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import java.util.Set;
import java.util.stream.Collectors;

/** The files under k8s/monitoring, read as Prometheus and Grafana will read them, and every query in them. */
final class MonitoringArtifacts {

  static final Path DIRECTORY = Path.of("k8s", "monitoring");

  /** One PromQL query and where it sits, for messages an operator can act on. */
  record Query(String source, String expression) {
  }

  private MonitoringArtifacts() {
  }

  static String read(String file) {
    try {
      return Files.readString(DIRECTORY.resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> yaml(String file) {
    return new Yaml(new SafeConstructor(new LoaderOptions())).load(read(file));
  }

  static JsonObject dashboard() {
    return new JsonObject(read("grafana-dashboard.json"));
  }

  /** Every rule of every group of the PrometheusRule, recording rules and alerts alike. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> rules() {
    Map<String, Object> spec = (Map<String, Object>) yaml("prometheusrule.yaml").get("spec");
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) spec.get("groups")) {
      rules.addAll((List<Map<String, Object>>) group.get("rules"));
    }
    return rules;
  }

  static List<Map<String, Object>> alerts() {
    return rules().stream().filter(rule -> rule.containsKey("alert")).toList();
  }

  /** Series our own rules record: they exist in Prometheus, never in a scrape. */
  static Set<String> recordedNames() {
    return rules().stream().filter(rule -> rule.containsKey("record"))
      .map(rule -> (String) rule.get("record")).collect(Collectors.toSet());
  }

  /** Panels in layout order, including those folded into collapsed rows. */
  static List<JsonObject> panels(JsonObject dashboard) {
    List<JsonObject> panels = new ArrayList<>();
    for (Object panel : dashboard.getJsonArray("panels")) {
      panels.add((JsonObject) panel);
      for (Object nested : ((JsonObject) panel).getJsonArray("panels", new JsonArray())) {
        panels.add((JsonObject) nested);
      }
    }
    return panels;
  }

  static List<JsonObject> targets(JsonObject panel) {
    return panel.getJsonArray("targets", new JsonArray()).stream().map(JsonObject.class::cast).toList();
  }

  static List<JsonObject> variables(JsonObject dashboard) {
    return dashboard.getJsonObject("templating").getJsonArray("list").stream().map(JsonObject.class::cast).toList();
  }

  /** Every query Prometheus will run for us: rule expressions, panel targets and dashboard variable queries. */
  static List<Query> queries() {
    List<Query> queries = new ArrayList<>();
    for (Map<String, Object> rule : rules()) {
      String name = rule.containsKey("alert") ? "alert " + rule.get("alert") : "recording rule " + rule.get("record");
      queries.add(new Query(name, String.valueOf(rule.get("expr"))));
    }
    JsonObject dashboard = dashboard();
    for (JsonObject panel : panels(dashboard)) {
      for (JsonObject target : targets(panel)) {
        queries.add(new Query("panel '" + panel.getString("title") + "'", target.getString("expr", "")));
      }
    }
    for (JsonObject variable : variables(dashboard)) {
      if ("query".equals(variable.getString("type"))) {
        Object query = variable.getValue("query");
        String expression = query instanceof JsonObject object ? object.getString("query") : String.valueOf(query);
        queries.add(new Query("variable $" + variable.getString("name"), expression));
      }
    }
    return queries;
  }
}
