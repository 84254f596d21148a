package io.tokengate.http;

import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The client's address (the rate-limit key) comes from the one configured header: behind a proxy that appends to
 * X-Forwarded-For and passes a client's own Forwarded through, the client cannot choose its address. Each request
 * here is over the per-address limit if, and only if, it is keyed like the one before it.
 */
@ExtendWith(VertxExtension.class)
class ClientAddressHeaderTest {

  private static final Map<String, String> LIMITED = Map.of(
    "TOKENGATE_RATE_LIMITS_PER_ADDRESS", "1",
    "TOKENGATE_RATE_LIMITS_PER_ADDRESS_BURST", "1",
    "TOKENGATE_HTTP_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8");

  private static TestGateway xff;
  private static TestGateway forwarded;
  private static WebClient web;

  @BeforeAll
  static void start(Vertx vertx) {
    xff = TestGateway.start(LIMITED);
    forwarded = TestGateway.startOn(xff.database(), with("TOKENGATE_HTTP_CLIENT_ADDRESS_HEADER", "forwarded"));
    web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
  }

  @AfterAll
  static void stop() {
    forwarded.close();
    xff.close();
  }

  private static Map<String, String> with(String key, String value) {
    Map<String, String> settings = new java.util.HashMap<>(LIMITED);
    settings.put(key, value);
    return settings;
  }

  private static int send(TestGateway gateway, UnaryOperator<HttpRequest<Buffer>> headers) {
    return headers.apply(web.post(gateway.port(), "127.0.0.1", "/oauth2/token")).send().await().statusCode();
  }

  @Test
  void aClientsOwnForwardedHeaderCannotChooseItsAddressWhenXForwardedForIsConfigured() {
    send(xff, r -> r.putHeader("X-Forwarded-For", "198.51.100.1").putHeader("Forwarded", "for=203.0.113.1"));

    assertEquals(429, send(xff, r -> r.putHeader("X-Forwarded-For", "198.51.100.1")
      .putHeader("Forwarded", "for=203.0.113.2")), "the same X-Forwarded-For address, whatever Forwarded says");
  }

  @Test
  void xForwardedForIsWalkedFromTheRightPastTrustedProxies() {
    send(xff, r -> r.putHeader("X-Forwarded-For", "192.0.2.99, 198.51.100.2, 10.1.2.3"));

    assertEquals(429, send(xff, r -> r.putHeader("X-Forwarded-For", "192.0.2.98, 198.51.100.2, 10.1.2.3")),
      "what the client wrote left of the first untrusted hop does not matter");
  }

  @Test
  void forwardedIsParsedPerRfc7239WithQuotesBracketsAndPorts() {
    send(forwarded, r -> r.putHeader("Forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=https, for=10.0.0.1"));

    assertEquals(429, send(forwarded, r -> r.putHeader("Forwarded", "For=\"[2001:DB8:CAFE:0::17]\"")),
      "the same address, written another way");
  }

  @Test
  void aHopThatIsNotAnAddressEndsTheWalkAndIsNeverAKey() {
    send(forwarded, r -> r.putHeader("Forwarded", "for=unknown, for=10.9.9.9"));

    assertEquals(429, send(forwarded, r -> r.putHeader("Forwarded", "for=_hidden, for=10.9.9.9")),
      "both keyed on the trusted proxy that could not say who its client was");
  }

  @Test
  void theHeaderNotConfiguredIsIgnored() {
    send(forwarded, r -> r.putHeader("X-Forwarded-For", "198.51.100.30").putHeader("Forwarded", "for=198.51.100.31"));

    assertEquals(429, send(forwarded, r -> r.putHeader("X-Forwarded-For", "198.51.100.32")
      .putHeader("Forwarded", "for=198.51.100.31")));
  }

  @Test
  void addressesOfOneIpv6Slash64ShareOneRateLimit() {
    send(xff, r -> r.putHeader("X-Forwarded-For", "2001:db8:17:1::1"));

    assertEquals(429, send(xff, r -> r.putHeader("X-Forwarded-For", "2001:db8:17:1:ffff:1234:5678:9abc")));
  }
}
