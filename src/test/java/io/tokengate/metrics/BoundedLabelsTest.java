package io.tokengate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The second line of defence: whatever reaches a request label, it takes a bounded number of values. */
class BoundedLabelsTest {

  @Test
  void aLabelPastItsBoundFoldsIntoOtherAndCountsTheOverflow() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    BoundedLabels.install(registry);

    for (int i = 0; i < 1_000; i++) {
      Counter.builder("vertx.http.server.requests").tag("route", "/r" + i).tag("method", "GET").register(registry)
        .increment();
    }

    assertEquals(BoundedLabels.MAX_VALUES + 1, registry.find("vertx.http.server.requests").counters().size());
    assertEquals(1_000 - BoundedLabels.MAX_VALUES,
      registry.get("vertx.http.server.requests").tag("route", "other").counter().count());
    assertEquals(1_000 - BoundedLabels.MAX_VALUES,
      registry.get("tokengate.metric.label.overflow").tag("label", "route").counter().count());
  }

  @Test
  void labelsOfOurOwnMetersAreLeftAlone() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    BoundedLabels.install(registry);

    for (int i = 0; i < 100; i++) {
      Counter.builder("tokengate.things").tag("route", "/r" + i).register(registry);
    }

    assertEquals(100, registry.find("tokengate.things").counters().size());
  }
}
