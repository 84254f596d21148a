package io.tokengate.token;

import io.vertx.core.Future;

import java.time.Instant;

/**
 * Access tokens revoked before they expire, by {@code jti}, remembered until they would have expired anyway. The
 * PostgreSQL adapter is {@code store.RevokedAccessTokens}.
 */
public interface AccessTokenRevocations {

  /** Remembers {@code jti} as revoked until {@code expiresAt}; revoking it again changes nothing. */
  Future<Void> revoke(String jti, Instant expiresAt);

  Future<Boolean> isRevoked(String jti);
}
