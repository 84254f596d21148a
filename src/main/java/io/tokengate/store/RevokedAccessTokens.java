package io.tokengate.store;

import io.tokengate.token.AccessTokenRevocations;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Revoked access-token ids in PostgreSQL ({@code revoked_access_tokens}); the purger deletes them once expired. */
public final class RevokedAccessTokens implements AccessTokenRevocations {

  private final Pool pool;

  public RevokedAccessTokens(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Void> revoke(String jti, Instant expiresAt) {
    return pool.preparedQuery("INSERT INTO revoked_access_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
      .execute(Tuple.of(jti, OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC)))
      .mapEmpty();
  }

  @Override
  public Future<Boolean> isRevoked(String jti) {
    return pool.preparedQuery("SELECT 1 FROM revoked_access_tokens WHERE jti = $1")
      .execute(Tuple.of(jti))
      .map(rows -> rows.size() > 0);
  }
}
