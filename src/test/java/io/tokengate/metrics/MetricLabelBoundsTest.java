package io.tokengate.metrics;

import io.tokengate.support.Http;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Nothing a client puts in a request line can add a time series: /metrics cannot be inflated from the public port. */
@ExtendWith(VertxExtension.class)
class MetricLabelBoundsTest {

  private static TestGateway gateway;
  private static Http api;
  private static Http management;

  @BeforeAll
  static void start(Vertx vertx) {
    gateway = TestGateway.start();
    api = new Http(vertx, gateway.port());
    management = new Http(vertx, gateway.managementPort());
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void aThousandRandomMethodsAndPathsLeaveTheNumberOfSeriesUnchanged() {
    Random random = new Random(17);
    for (int i = 0; i < 20; i++) {
      send(random);
    }
    management.get("/metrics"); // the scrape's own series, on the management port
    long before = httpSeries();

    for (int i = 0; i < 1_000; i++) {
      send(random);
    }

    String metrics = management.get("/metrics").bodyAsString();
    assertEquals(before, httpSeries(), "series after 1,000 more requests");
    assertFalse(metrics.contains("method=\"FOO"), "a made-up method is not a label value");
    assertTrue(metrics.contains("method=\"other\""), "made-up methods share one value");
  }

  @Test
  void aStandardMethodKeepsItsName() {
    api.get("/oauth2/jwks");

    assertTrue(management.get("/metrics").bodyAsString().contains("method=\"GET\",route=\"/oauth2/jwks\""));
  }

  private static void send(Random random) {
    String method = "FOO" + random.nextInt(1_000_000);
    String path = "/" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + "/" + random.nextInt(1000);
    String route = random.nextBoolean() ? path : "/oauth2/token";
    api.client().request(HttpMethod.valueOf(method), route).send().await();
  }

  /** Each line of /metrics that is one series of the HTTP server metrics. */
  private static long httpSeries() {
    return management.get("/metrics").bodyAsString().lines()
      .filter(line -> line.startsWith("vertx_http_server_"))
      .count();
  }

}
