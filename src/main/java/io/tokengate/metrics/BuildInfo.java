package io.tokengate.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * {@code tokengate_build_info{version, java_version} 1}: which version each replica runs, for dashboards and for
 * telling a rollout's old pods from its new ones.
 */
public final class BuildInfo {

  private static final String VERSION = readVersion();

  private BuildInfo() {
  }

  public static String version() {
    return VERSION;
  }

  static void register(MeterRegistry registry) {
    Gauge.builder("tokengate.build.info", () -> 1)
      .description("The running version of tokengate; always 1")
      .tag("version", VERSION)
      .tag("java_version", System.getProperty("java.version"))
      .register(registry);
  }

  private static String readVersion() {
    try (InputStream in = BuildInfo.class.getClassLoader().getResourceAsStream("tokengate-build.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
