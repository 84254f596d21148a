package io.tokengate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What happens to tokens after issue: {@code tokengate_refresh_tokens_total{outcome}},
 * {@code tokengate_introspections_total{result}} and {@code tokengate_revocations_total{token_type}}. Label values
 * come from fixed sets.
 */
public final class TokenLifecycleMetrics {

  private final MeterRegistry registry;

  public TokenLifecycleMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** @param outcome rotated, grace, reuse_detected, expired, revoked, unknown, wrong_client or user_disabled */
  public void refresh(String outcome) {
    Counter.builder("tokengate.refresh.tokens").description("Refresh tokens presented, by outcome")
      .tag("outcome", outcome).register(registry).increment();
  }

  public void introspection(boolean active) {
    Counter.builder("tokengate.introspections").description("Introspection requests answered, by result")
      .tag("result", active ? "active" : "inactive").register(registry).increment();
  }

  /** @param tokenType access_token, refresh_token, or none (unknown, invalid or expired: nothing to revoke) */
  public void revocation(String tokenType) {
    Counter.builder("tokengate.revocations").description("Revocation requests answered, by what was revoked")
      .tag("token_type", tokenType).register(registry).increment();
  }
}
