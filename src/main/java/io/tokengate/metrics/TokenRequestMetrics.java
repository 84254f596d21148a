package io.tokengate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Set;

/**
 * {@code tokengate_token_requests_total{grant_type, outcome}}: "issued", the OAuth error code, or "client_closed"
 * when the client hung up before the answer. Label values come
 * from fixed sets, never from what a client sent, so a client cannot grow the number of series.
 */
public final class TokenRequestMetrics {

  private static final String OTHER = "other";

  private final MeterRegistry registry;
  private final Set<String> grantTypes;

  public TokenRequestMetrics(MeterRegistry registry, Set<String> grantTypes) {
    this.registry = registry;
    this.grantTypes = Set.copyOf(grantTypes);
    // At zero from the first scrape: each grant type (and "other") with each outcome of the one list.
    for (String grant : this.grantTypes) {
      TokenRequestOutcomes.ALL.forEach(outcome -> counter(grant, outcome));
    }
    TokenRequestOutcomes.ALL.forEach(outcome -> counter(OTHER, outcome));
  }

  public void issued(String grantType) {
    counter(grantType, TokenRequestOutcomes.ISSUED).increment();
  }

  /** @param outcome one of {@link TokenRequestOutcomes#ALL} */
  public void failed(String grantType, String outcome) {
    counter(grantType, outcome).increment();
  }

  private Counter counter(String grantType, String outcome) {
    String grant = grantType != null && grantTypes.contains(grantType) ? grantType : OTHER;
    return Counter.builder("tokengate.token.requests")
      .description("Token endpoint requests by grant type and outcome")
      .tag("grant_type", grant)
      .tag("outcome", outcome)
      .register(registry);
  }
}
