package io.tokengate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The client label of tokengate_password_grants_total is bounded: past the cap, clients share "other". */
class PasswordGrantMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private double count(String client, String outcome) {
    Counter counter = registry.find("tokengate.password.grants").tag("client", client).tag("outcome", outcome)
      .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void clientsBeyondTheCapShareTheOtherLabelWhileTheFirstKeepTheirOwn() {
    PasswordGrantMetrics metrics = new PasswordGrantMetrics(registry, 2);

    metrics.record("crm", true);
    metrics.record("erp", false);
    metrics.record("wiki", true);
    metrics.record("intranet", true);
    metrics.record("crm", true);
    metrics.record("wiki", false);

    assertEquals(2, count("crm", "success"));
    assertEquals(1, count("erp", "failure"));
    assertEquals(2, count("other", "success"));
    assertEquals(1, count("other", "failure"));
    assertEquals(Set.of("crm", "erp", "other"), registry.find("tokengate.password.grants").counters().stream()
      .map(counter -> counter.getId().getTag("client")).collect(Collectors.toSet()));
  }

  @Test
  void theDefaultCapIsAHundredClients() {
    PasswordGrantMetrics metrics = new PasswordGrantMetrics(registry);
    for (int i = 0; i < 150; i++) {
      metrics.record("client-" + i, true);
    }

    assertEquals(PasswordGrantMetrics.CLIENT_LABELS + 1, registry.find("tokengate.password.grants").counters().size());
    assertEquals(50, count(PasswordGrantMetrics.OTHER, "success"));
  }
}
