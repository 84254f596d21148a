package io.tokengate.deploy;

import io.tokengate.deploy.MonitoringArtifacts.Query;
import io.tokengate.deploy.MonitoringPromQl.PinnedLabel;
import io.tokengate.support.Http;
import io.tokengate.support.Metrics;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * k8s/monitoring: the ServiceMonitor, the alerts and recording rules, and the Grafana dashboard. Beyond their shape,
 * every metric they query must exist in a scrape of the real gateway, so that a renamed metric breaks this test
 * rather than a dashboard nobody looks at until an incident.
 */
@ExtendWith(VertxExtension.class)
class MonitoringTest {

  private static final String PASSWORD = "correct horse battery staple";
  private static final String RUNBOOKS = "https://github.com/tokengate/tokengate/blob/main/docs/operations.md#alert-";
  private static final Path OPERATIONS = Path.of("docs", "operations.md");
  private static final Set<String> ALERTS = Set.of("TokengateHighErrorRatio", "TokengateLatencyP99High",
    "TokengateHashingPoolSaturated", "TokengateDatabasePoolExhausted", "TokengateReplicaDown", "TokengateAbsent",
    "TokengateClientAuthFailures", "TokengateAuditLinesDropped", "TokengateParallelGuessing",
    "TokengateRateLimiterOverflow", "TokengateSlowRequests", "TokengateMetricLabelOverflow");
  private static final Set<String> PANELS = Set.of("Token requests per second by grant and outcome",
    "Latency p50 / p95 / p99 by route", "Token endpoint error ratio", "Hashing pool: queued, active and capacity",
    "Hashing rejections per second (answered 503)", "Password hashes per second: used vs available",
    "PostgreSQL pool: connections in use and requests waiting", "PostgreSQL pool: wait for a connection",
    "Client authentications per second by method and outcome", "Refresh tokens per second by outcome",
    "Password grants per second by client",
    "JVM heap used vs max", "GC pause time", "Process CPU", "Build info");
  /** Prometheus's own series about each target, never in the target's scrape. */
  private static final Set<String> PROMETHEUS_SERIES = Set.of("up");

  private static Scrape scrape;

  /** The sample names and label values of one /metrics answer. */
  record Scrape(Set<String> names, Set<PinnedLabel> labels) {

    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_]\\w*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    static Scrape parse(String exposition) {
      Set<String> names = new HashSet<>();
      Set<PinnedLabel> labels = new HashSet<>();
      exposition.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).forEach(line -> {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
        names.add(name);
        if (brace >= 0 && brace < space) {
          Matcher label = LABEL.matcher(line.substring(brace, line.lastIndexOf('}')));
          while (label.find()) {
            labels.add(new PinnedLabel(name, label.group(1), label.group(2)));
          }
        }
      });
      return new Scrape(names, labels);
    }
  }

  /** A gateway that has seen the traffic an SRE's queries are about, scraped once it has. */
  @BeforeAll
  static void scrapeAGatewayAfterRepresentativeTraffic(Vertx vertx) {
    try (TestGateway gateway = TestGateway.start()) {
      Http api = new Http(vertx, gateway.port());
      Http management = new Http(vertx, gateway.managementPort());
      String appSecret = gateway.createClient("monitoring-app", Set.of("password", "refresh_token"),
        List.of("read"), List.of("read"));
      String jobSecret = gateway.createClient("monitoring-job", Set.of("client_credentials"),
        List.of("read"), List.of("read"));
      gateway.createUser("monitoring-user", PASSWORD);

      HttpResponse<Buffer> login = api.tokenWithBasic("monitoring-app", appSecret,
        form("grant_type", "password", "username", "monitoring-user", "password", PASSWORD));
      assertEquals(200, login.statusCode(), login.bodyAsString());
      assertEquals(400, api.tokenWithBasic("monitoring-app", appSecret,
        form("grant_type", "password", "username", "monitoring-user", "password", "wrong")).statusCode());
      assertEquals(401, api.tokenWithBasic("monitoring-app", "not-the-secret",
        form("grant_type", "password", "username", "monitoring-user", "password", PASSWORD)).statusCode());
      assertEquals(200, api.tokenWithBasic("monitoring-job", jobSecret,
        form("grant_type", "client_credentials")).statusCode());
      assertEquals(200, api.tokenWithBasic("monitoring-app", appSecret,
        form("grant_type", "refresh_token", "refresh_token", login.bodyAsJsonObject().getString("refresh_token")))
        .statusCode());
      // Micrometer registers the GC pause timer at the first collection it is told of, which a short run may
      // not have had yet; a long-running replica always has.
      System.gc();
      Metrics.awaitLine(management, "jvm_gc_pause_seconds_count");

      scrape = Scrape.parse(management.get("/metrics").bodyAsString());
      api.close();
      management.close();
    }
  }

  @Test
  void everyMetricTheAlertsRulesAndDashboardQueryIsInALiveScrape() {
    SortedMap<String, SortedSet<String>> missing = missing(MonitoringArtifacts.queries(), scrape.names());

    assertTrue(missing.isEmpty(), "metrics queried but absent from the gateway's /metrics:\n" + describe(missing));
  }

  @Test
  void everyLabelValueASelectorPinsIsInALiveScrape() {
    SortedMap<String, SortedSet<String>> unmatched = new TreeMap<>();
    for (Query query : MonitoringArtifacts.queries()) {
      for (PinnedLabel pinned : MonitoringPromQl.pinnedLabels(query.expression())) {
        if (scrape.names().contains(pinned.metric()) && !scrape.labels().contains(pinned)) {
          unmatched.computeIfAbsent(pinned.toString(), key -> new TreeSet<>()).add(query.source());
        }
      }
    }

    assertTrue(unmatched.isEmpty(), "selectors that match no series of the gateway:\n" + describe(unmatched));
  }

  @Test
  void aMisspelledMetricIsReportedWithWhereItIsUsed() {
    List<Query> queries = List.of(
      new Query("alert Typo", "sum(rate(tokengate_token_request_total{outcome=\"issued\"}[5m])) > 0"),
      new Query("panel 'Fine'", "sum by (le) (rate(vertx_http_server_response_time_seconds_bucket[5m]))"),
      new Query("variable $made_up", "label_values(tokengate_made_up_gauge{namespace=\"$namespace\"}, pod)"));

    SortedMap<String, SortedSet<String>> missing = missing(queries, scrape.names());

    assertEquals(Map.of("tokengate_token_request_total", new TreeSet<>(Set.of("alert Typo")),
      "tokengate_made_up_gauge", new TreeSet<>(Set.of("variable $made_up"))), missing);
  }

  @Test
  void theExtractorReadsNamesButNotLabelsFunctionsKeywordsOrDurations() {
    String expression = """
      # p99 per route, "quoted{text} in a comment"
      histogram_quantile(0.99, sum by (route, le) (rate(http_seconds_bucket{route="/a{b}", job=~"x|y"}[$__rate_interval])))
        > bool 1e3 * on (pod) group_left (version) build_info offset 5m
      or absent(up{job="a"}) unless min without (le) (queue_depth / ignoring(x) queue_capacity) and sum(rate(c_total[1h30m]))
      """;

    assertEquals(new TreeSet<>(Set.of("http_seconds_bucket", "build_info", "up", "queue_depth", "queue_capacity",
      "c_total")), MonitoringPromQl.metricNames(expression));
    assertEquals(new TreeSet<>(Set.of("level:metric:rate5m")),
      MonitoringPromQl.metricNames("level:metric:rate5m{quantile=\"0.99\"} > 0.5"));
    assertEquals(Set.of(), MonitoringPromQl.metricNames("label_values(namespace)"));
    assertEquals(List.of(new PinnedLabel("vertx_pool_in_use", "pool_name", "tokengate")),
      MonitoringPromQl.pinnedLabels("vertx_pool_in_use{pool_name=\"tokengate\", pod=~\"$pod\", namespace=\"$namespace\", x!=\"y\"}"));
  }

  @Test
  void everyAlertHasADurationASeveritySummaryDescriptionAndItsRunbook() throws IOException {
    List<Map<String, Object>> alerts = MonitoringArtifacts.alerts();
    String operations = Files.readString(OPERATIONS);

    assertEquals(ALERTS, alerts.stream().map(alert -> (String) alert.get("alert")).collect(Collectors.toSet()));
    for (Map<String, Object> alert : alerts) {
      String name = (String) alert.get("alert");
      assertFalse(String.valueOf(alert.get("expr")).isBlank(), name + ": expr");
      assertTrue(String.valueOf(alert.get("for")).matches("\\d+[smh]"), name + ": for");
      Map<?, ?> labels = (Map<?, ?>) alert.get("labels");
      assertNotNull(labels, name + ": labels");
      assertTrue(Set.of("critical", "warning").contains(labels.get("severity")), name + ": severity");
      Map<?, ?> annotations = (Map<?, ?>) alert.get("annotations");
      assertNotNull(annotations, name + ": annotations");
      assertFalse(String.valueOf(annotations.get("summary")).isBlank(), name + ": summary");
      assertFalse(String.valueOf(annotations.get("description")).isBlank(), name + ": description");
      // GitHub's anchor for the heading "### Alert: <name>" of docs/operations.md, and that heading is there.
      assertEquals(RUNBOOKS + name.toLowerCase(Locale.ROOT), annotations.get("runbook_url"), name + ": runbook_url");
      assertTrue(operations.contains("\n### Alert: " + name + "\n"), name + ": no runbook heading in " + OPERATIONS);
    }
  }

  @Test
  void recordingRulesAreNamedLevelMetricOperation() {
    for (String recorded : MonitoringArtifacts.recordedNames()) {
      assertTrue(recorded.matches("tokengate:[a-z0-9_]+:[a-z0-9_]+"), recorded);
    }
  }

  @Test
  void theDashboardHasEveryPanelWithUniqueIdsAndAQueryBehindEachTarget() {
    JsonObject dashboard = MonitoringArtifacts.dashboard();
    List<JsonObject> panels = MonitoringArtifacts.panels(dashboard);

    assertEquals(39, dashboard.getInteger("schemaVersion"));
    assertEquals("tokengate", dashboard.getString("uid"));
    Set<String> titles = panels.stream().map(panel -> panel.getString("title")).collect(Collectors.toSet());
    assertTrue(titles.containsAll(PANELS), "missing panels: " + PANELS.stream().filter(t -> !titles.contains(t)).toList());
    List<Integer> ids = panels.stream().map(panel -> panel.getInteger("id")).toList();
    assertEquals(ids.size(), Set.copyOf(ids).size(), "panel ids repeat: " + ids);
    for (JsonObject panel : panels) {
      String title = panel.getString("title");
      JsonObject grid = panel.getJsonObject("gridPos");
      assertTrue(grid.getInteger("x") + grid.getInteger("w") <= 24, title + ": wider than the grid");
      if ("row".equals(panel.getString("type"))) {
        continue;
      }
      assertEquals("${datasource}", panel.getJsonObject("datasource").getString("uid"), title);
      assertFalse(MonitoringArtifacts.targets(panel).isEmpty(), title + ": no targets");
      for (JsonObject target : MonitoringArtifacts.targets(panel)) {
        assertFalse(target.getString("expr", "").isBlank(), title + ": a target without expr");
        assertEquals("${datasource}", target.getJsonObject("datasource").getString("uid"), title);
      }
    }
  }

  @Test
  void theDashboardLetsOneChooseTheDatasourceNamespaceAndPods() {
    Map<String, JsonObject> variables = MonitoringArtifacts.variables(MonitoringArtifacts.dashboard()).stream()
      .collect(Collectors.toMap(variable -> variable.getString("name"), variable -> variable));

    assertEquals("datasource", variables.get("datasource").getString("type"));
    assertEquals("prometheus", variables.get("datasource").getString("query"));
    assertEquals("query", variables.get("namespace").getString("type"));
    assertEquals("query", variables.get("pod").getString("type"));
    assertTrue(variables.get("pod").getBoolean("includeAll"), "all pods by default");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theServiceMonitorScrapesTheManagementPortOfTheMetricsService() {
    Map<String, Object> monitor = MonitoringArtifacts.yaml("servicemonitor.yaml");
    Map<String, Object> spec = (Map<String, Object>) monitor.get("spec");
    Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("endpoints")).get(0);

    assertEquals("monitoring.coreos.com/v1", monitor.get("apiVersion"));
    assertEquals("ServiceMonitor", monitor.get("kind"));
    assertEquals(Map.of("app.kubernetes.io/name", "tokengate", "app.kubernetes.io/component", "metrics"),
      ((Map<String, Object>) spec.get("selector")).get("matchLabels"));
    assertEquals("management", endpoint.get("port"));
    assertEquals("/metrics", endpoint.get("path"));
    assertEquals("15s", endpoint.get("interval"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theKustomizationShipsTheRulesAndTheDashboardForTheGrafanaSidecarWithoutANamespace() {
    Map<String, Object> kustomization = MonitoringArtifacts.yaml("kustomization.yaml");
    Map<String, Object> generator = ((List<Map<String, Object>>) kustomization.get("configMapGenerator")).get(0);
    Map<String, Object> options = (Map<String, Object>) generator.get("options");

    assertFalse(kustomization.containsKey("namespace"), "the overlay sets the namespace");
    assertEquals(List.of("servicemonitor.yaml", "prometheusrule.yaml"), kustomization.get("resources"));
    assertEquals("1", ((Map<String, Object>) options.get("labels")).get("grafana_dashboard"));
    for (Object file : (List<Object>) generator.get("files")) {
      String path = String.valueOf(file).substring(String.valueOf(file).indexOf('=') + 1);
      assertTrue(Files.isRegularFile(MonitoringArtifacts.DIRECTORY.resolve(path)), path);
    }
  }

  /** Each name the queries read that no scrape sample, recording rule or Prometheus itself provides, with its users. */
  private static SortedMap<String, SortedSet<String>> missing(List<Query> queries, Set<String> scraped) {
    Set<String> recorded = MonitoringArtifacts.recordedNames();
    SortedMap<String, SortedSet<String>> missing = new TreeMap<>();
    for (Query query : queries) {
      for (String name : MonitoringPromQl.metricNames(query.expression())) {
        if (!scraped.contains(name) && !recorded.contains(name) && !PROMETHEUS_SERIES.contains(name)) {
          missing.computeIfAbsent(name, key -> new TreeSet<>()).add(query.source());
        }
      }
    }
    return missing;
  }

  private static String describe(SortedMap<String, SortedSet<String>> found) {
    return found.entrySet().stream().map(entry -> "  " + entry.getKey() + "  (" + String.join(", ", entry.getValue()) + ")")
      .collect(Collectors.joining("\n"));
  }
}
