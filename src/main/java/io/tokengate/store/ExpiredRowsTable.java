package io.tokengate.store;

import io.tokengate.token.ExpiredRows;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;

/**
 * Expired rows deleted in small batches, so that no statement holds many locks or runs long. Replicas purging at the
 * same time skip each other's rows (SKIP LOCKED).
 */
public final class ExpiredRowsTable implements ExpiredRows {

  /** A family's tokens go with it (ON DELETE CASCADE). */
  private static final String PURGE_REFRESH_TOKENS = """
      DELETE FROM refresh_token_families WHERE family_id IN (
        SELECT family_id FROM refresh_token_families WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)""";
  private static final String PURGE_REVOKED_JTIS = """
      DELETE FROM revoked_access_tokens WHERE jti IN (
        SELECT jti FROM revoked_access_tokens WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)""";
  /** Rows by physical address: these tables have two-column keys, and one statement shape serves both. */
  private static final String PURGE_USED_ASSERTION_IDS = """
      DELETE FROM client_assertion_jti WHERE ctid IN (
        SELECT ctid FROM client_assertion_jti WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)""";
  private static final String PURGE_USED_DPOP_PROOF_IDS = """
      DELETE FROM dpop_proof_jti WHERE ctid IN (
        SELECT ctid FROM dpop_proof_jti WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)""";
  /** Counts whose last failure and whose attempts in flight (a row left by reservations alone has no failure) ended. */
  private static final String PURGE_LOGIN_FAILURES = """
      DELETE FROM login_failures WHERE username_hash IN (
        SELECT username_hash FROM login_failures
        WHERE coalesce(last_failure_at, '-infinity') <= $1 AND coalesce(in_flight_until, '-infinity') <= $1
        LIMIT $2 FOR UPDATE SKIP LOCKED)""";

  private static final Map<Kind, String> STATEMENTS = new EnumMap<>(Map.of(
    Kind.REFRESH_TOKEN_FAMILIES, PURGE_REFRESH_TOKENS,
    Kind.REVOKED_ACCESS_TOKENS, PURGE_REVOKED_JTIS,
    Kind.USED_ASSERTION_IDS, PURGE_USED_ASSERTION_IDS,
    Kind.USED_PROOF_IDS, PURGE_USED_DPOP_PROOF_IDS,
    Kind.LOGIN_FAILURES, PURGE_LOGIN_FAILURES));

  private final Pool pool;

  public ExpiredRowsTable(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Integer> deleteBatch(Kind kind, Instant cutoff, int limit) {
    return pool.preparedQuery(STATEMENTS.get(kind))
      .execute(Tuple.of(OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC), limit))
      .map(RowSet::rowCount);
  }
}
