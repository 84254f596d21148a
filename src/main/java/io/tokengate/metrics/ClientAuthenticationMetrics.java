package io.tokengate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code tokengate_client_authentications_total{method, outcome}}: every client authentication at the token,
 * introspection and revocation endpoints, by method (an IANA method name, or "none" when the request carried no
 * usable credential) and outcome ("success" or "failure"). A spike of private_key_jwt failures, say, points at a
 * client's key server before its owner notices.
 */
public final class ClientAuthenticationMetrics {

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public ClientAuthenticationMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** @param method one of a fixed set of names, never a value from the request */
  public void record(String method, boolean success) {
    String outcome = success ? "success" : "failure";
    counters.computeIfAbsent(method + " " + outcome, key -> Counter.builder("tokengate.client.authentications")
      .description("Client authentications by method and outcome")
      .tag("method", method)
      .tag("outcome", outcome)
      .register(registry)).increment();
  }

  /** A chosen (Argon2id-hashed) client secret not verified because as many as allowed were being verified. */
  public void secretHashingRefused() {
    Counter.builder("tokengate.client.secret.hashing.refusals")
      .description("Chosen client secrets answered 503 unverified: their share of the hashing pool was taken")
      .register(registry).increment();
  }
}
