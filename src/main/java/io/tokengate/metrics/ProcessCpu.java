package io.tokengate.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * {@code process_cpu_seconds_total}, the name every Prometheus dashboard expects (Micrometer's own counts
 * nanoseconds), so that the CPU a replica burns can be set against the hashes it computes.
 */
final class ProcessCpu {

  private ProcessCpu() {
  }

  static void register(MeterRegistry registry) {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean hotspot) {
      FunctionCounter.builder("process.cpu", hotspot, bean -> bean.getProcessCpuTime() / 1e9)
        .baseUnit("seconds")
        .description("CPU time used by the process")
        .register(registry);
    }
  }
}
