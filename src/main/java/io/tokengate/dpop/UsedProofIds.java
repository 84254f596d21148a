package io.tokengate.dpop;

import io.vertx.core.Future;

import java.time.Instant;

/** DPoP proof ids already used (RFC 9449 §11.1: a proof is single use), shared by every replica. */
public interface UsedProofIds {

  /** @return true the first time a key's proof {@code jti} is used, false for a replay (until {@code rememberUntil}) */
  Future<Boolean> useDpopProof(String jkt, String jti, Instant rememberUntil);
}
