package io.tokengate.support;

/** Reading the gateway's own /metrics, as Prometheus would. */
public final class Metrics {

  private Metrics() {
  }

  /** The value of one series, e.g. {@code tokengate_refresh_tokens_total{outcome="rotated"}}; 0 if absent. */
  public static double value(Http management, String series) {
    return management.get("/metrics").bodyAsString().lines()
      .filter(line -> line.startsWith(series + " "))
      .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
      .findFirst().orElse(0);
  }

  /** Scrapes (each a real round trip, no sleeping) until a line appears. */
  public static void awaitLine(Http management, String line) {
    for (int attempt = 0; attempt < 10_000; attempt++) {
      if (management.get("/metrics").bodyAsString().contains(line)) {
        return;
      }
    }
    throw new AssertionError("metric never showed: " + line);
  }
}
