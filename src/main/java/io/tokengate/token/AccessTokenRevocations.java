package io.tokengate.token;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Access tokens revoked before they expire, by {@code jti}, remembered until they would have expired anyway. */
public final class AccessTokenRevocations {

  private final Pool pool;

  public AccessTokenRevocations(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> revoke(String jti, Instant expiresAt) {
    return pool.preparedQuery("INSERT INTO revoked_access_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
      .execute(Tuple.of(jti, OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC)))
      .mapEmpty();
  }

  public Future<Boolean> isRevoked(String jti) {
    return pool.preparedQuery("SELECT 1 FROM revoked_access_tokens WHERE jti = $1")
      .execute(Tuple.of(jti))
      .map(rows -> rows.size() > 0);
  }
}
