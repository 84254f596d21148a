package io.tokengate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code tokengate_password_grants_total{client, outcome}}: password grants of each client that has the grant, by
 * outcome ({@code success} or {@code failure}), so that a dashboard shows who still sends passwords. The client label
 * is bounded: the first {@link #CLIENT_LABELS} clients a replica sees get their own, later ones share {@code other}.
 * Client ids are registered by operators and reach this only once the client authenticated.
 */
public final class PasswordGrantMetrics {

  /** Distinct client labels per replica; beyond them, {@link #OTHER}. */
  public static final int CLIENT_LABELS = 100;
  public static final String OTHER = "other";

  private final MeterRegistry registry;
  private final int capacity;
  private final Map<String, String> labels = new ConcurrentHashMap<>();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public PasswordGrantMetrics(MeterRegistry registry) {
    this(registry, CLIENT_LABELS);
  }

  PasswordGrantMetrics(MeterRegistry registry, int capacity) {
    this.registry = registry;
    this.capacity = capacity;
  }

  public void record(String clientId, boolean success) {
    String client = label(clientId);
    String outcome = success ? "success" : "failure";
    counters.computeIfAbsent(client + " " + outcome, key -> Counter.builder("tokengate.password.grants")
      .description("Password grants of clients that have the grant, by client (bounded, then 'other') and outcome")
      .tag("client", client)
      .tag("outcome", outcome)
      .register(registry)).increment();
  }

  private String label(String clientId) {
    String known = labels.get(clientId);
    if (known != null) {
      return known;
    }
    synchronized (labels) {
      if (labels.size() >= capacity) {
        return labels.getOrDefault(clientId, OTHER);
      }
      return labels.computeIfAbsent(clientId, id -> id);
    }
  }
}
