package io.tokengate.client;

import io.vertx.core.Future;

import java.time.Instant;

/** Client-assertion ids already used (RFC 7523 §3: a {@code jti} is single use), shared by every replica. */
public interface UsedAssertionIds {

  /** @return true the first time a client's {@code jti} is used, false for a replay (until {@code rememberUntil}) */
  Future<Boolean> useAssertion(String clientId, String jti, Instant rememberUntil);
}
