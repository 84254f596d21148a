package io.tokengate.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PromQL as far as checking it against a scrape needs: which metric names an expression selects, and which
 * label values its selectors pin. Grafana's {@code label_values(selector, label)} and {@code $variables} are
 * understood too, so that dashboard variables are checked like any other query.
 */
final class MonitoringPromQl {

  /** A selector's fixed requirement {@code metric{label="value"}}, as a scrape can confirm it. */
  record PinnedLabel(String metric, String label, String value) {

    @Override
    public String toString() {
      return metric + "{" + label + "=\"" + value + "\"}";
    }
  }

  private static final Pattern COMMENT = Pattern.compile("#[^\\n]*");
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  /** Label lists after grouping and vector-matching keywords hold label names, never metrics. */
  private static final Pattern LABEL_LIST =
    Pattern.compile("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
  private static final Pattern GRAFANA_LABEL_VALUES =
    Pattern.compile("^\\s*label_values\\((?:(.*),)?\\s*[a-zA-Z_]\\w*\\s*\\)\\s*$", Pattern.DOTALL);
  /** A number or duration (1e3, 0.5, 5m) first, so that its letters are not read as a name. */
  private static final Pattern TOKEN =
    Pattern.compile("(?<number>(?:\\d*\\.)?\\d+(?:[eE][+-]?\\d+)?[a-zA-Z]*)|(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\\s*\\()?");
  /** Keywords, binary operators and aggregation operators (which may stand before "by (...)" rather than "("). */
  private static final Set<String> NOT_METRICS = Set.of(
    "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or", "unless", "atan2",
    "le", "inf", "nan", "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk",
    "topk", "quantile", "limitk", "limit_ratio");
  private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
  /** label="value" only: a name directly followed by "=" and a quote, so neither != nor =~ nor !~. */
  private static final Pattern EQUALITY_MATCHER = Pattern.compile("([a-zA-Z_]\\w*)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  private MonitoringPromQl() {
  }

  /** The metric names an expression reads, e.g. {@code rate(a_total{x="y"}[5m]) / b} gives a_total and b. */
  static SortedSet<String> metricNames(String query) {
    String expression = promQl(query);
    expression = COMMENT.matcher(expression).replaceAll(" ");
    expression = STRING.matcher(expression).replaceAll(" ");
    expression = LABEL_MATCHERS.matcher(expression).replaceAll(" ");
    expression = RANGE.matcher(expression).replaceAll(" ");
    expression = LABEL_LIST.matcher(expression).replaceAll(" ");
    expression = GRAFANA_VARIABLE.matcher(expression).replaceAll(" ");
    SortedSet<String> names = new TreeSet<>();
    Matcher token = TOKEN.matcher(expression);
    while (token.find()) {
      String name = token.group("name");
      if (name != null && token.group("call") == null && !NOT_METRICS.contains(name.toLowerCase(Locale.ROOT))) {
        names.add(name);
      }
    }
    return names;
  }

  /**
   * The {@code label="value"} matchers of each {@code metric{...}} selector, leaving out values a dashboard fills
   * in ({@code $namespace}) and regular expressions, which a scrape of one replica cannot judge.
   */
  static List<PinnedLabel> pinnedLabels(String query) {
    String expression = COMMENT.matcher(promQl(query)).replaceAll(" ");
    List<PinnedLabel> pinned = new ArrayList<>();
    Matcher selector = SELECTOR.matcher(expression);
    while (selector.find()) {
      Matcher matcher = EQUALITY_MATCHER.matcher(selector.group(2));
      while (matcher.find()) {
        if (!matcher.group(2).contains("$")) {
          pinned.add(new PinnedLabel(selector.group(1), matcher.group(1), matcher.group(2)));
        }
      }
    }
    return pinned;
  }

  /** A Grafana variable query {@code label_values(selector, label)} reads its selector; anything else is PromQL. */
  private static String promQl(String query) {
    Matcher labelValues = GRAFANA_LABEL_VALUES.matcher(query);
    if (labelValues.matches()) {
      return labelValues.group(1) == null ? "" : labelValues.group(1);
    }
    return query;
  }
}
