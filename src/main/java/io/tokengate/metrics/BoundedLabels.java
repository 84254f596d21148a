package io.tokengate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps every label whose value a request chooses — the HTTP method, route and status of the Vert.x HTTP server
 * metrics — to a small, fixed number of values, so that nobody who can reach the public port can add time series.
 * <p>
 * First line: a method outside RFC 9110's (and PATCH) is {@code other}. Second line, for whatever a later change
 * lets through: past {@link #MAX_VALUES} distinct values of one label in one meter, new values become {@code other}
 * and count in {@code tokengate_metric_label_overflow_total{label}} (an alert pages on it: it means a bug).
 */
final class BoundedLabels implements MeterFilter {

  static final String OTHER = "other";
  static final int MAX_VALUES = 64;
  private static final String PREFIX = "vertx.http.server.";
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
    "TRACE", "PATCH");
  private static final List<String> BOUNDED = List.of("method", "route", "code");

  private final Map<String, Set<String>> seen = new ConcurrentHashMap<>();
  private final Map<String, Counter> overflow = new ConcurrentHashMap<>();

  private BoundedLabels() {
  }

  /** Configures the filter before any meter (Micrometer applies filters only to meters registered after them). */
  static void install(MeterRegistry registry) {
    BoundedLabels filter = new BoundedLabels();
    registry.config().meterFilter(filter);
    for (String label : BOUNDED) {
      filter.overflow.put(label, Counter.builder("tokengate.metric.label.overflow")
        .description("Label values from requests replaced by 'other' because the label had too many values")
        .tag("label", label)
        .register(registry));
    }
  }

  @Override
  public Meter.Id map(Meter.Id id) {
    if (!id.getName().startsWith(PREFIX)) {
      return id;
    }
    List<Tag> tags = new ArrayList<>();
    boolean changed = false;
    for (Tag tag : id.getTagsAsIterable()) {
      String value = bounded(id.getName(), tag.getKey(), tag.getValue());
      changed |= !value.equals(tag.getValue());
      tags.add(Tag.of(tag.getKey(), value));
    }
    return changed ? id.replaceTags(tags) : id;
  }

  private String bounded(String meter, String label, String value) {
    if (!BOUNDED.contains(label)) {
      return value;
    }
    if (label.equals("method") && !METHODS.contains(value)) {
      return OTHER;
    }
    Set<String> values = seen.computeIfAbsent(meter + '\0' + label, key -> ConcurrentHashMap.newKeySet());
    if (values.contains(value)) {
      return value;
    }
    // Not atomic with the check: a race can admit a value or two past the bound, never an unbounded number.
    if (values.size() < MAX_VALUES) {
      values.add(value);
      return value;
    }
    overflow.get(label).increment();
    return OTHER;
  }
}
