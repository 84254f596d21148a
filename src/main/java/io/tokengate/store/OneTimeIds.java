package io.tokengate.store;

import io.tokengate.client.UsedAssertionIds;
import io.tokengate.dpop.UsedProofIds;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Ids that may be used once: client assertion {@code jti}s (RFC 7523 §3) and DPoP proof {@code jti}s (RFC 9449
 * §11.1). They are remembered in PostgreSQL, so that a replay fails on whichever replica it reaches; the primary key
 * decides, so two replicas receiving the same id at once cannot both accept it.
 */
public final class OneTimeIds implements UsedAssertionIds, UsedProofIds {

  private static final String ASSERTION = """
      INSERT INTO client_assertion_jti (client_id, jti, expires_at) VALUES ($1, $2, $3)
      ON CONFLICT (client_id, jti) DO NOTHING""";
  private static final String DPOP_PROOF = """
      INSERT INTO dpop_proof_jti (jkt, jti, expires_at) VALUES ($1, $2, $3)
      ON CONFLICT (jkt, jti) DO NOTHING""";

  private final Pool pool;

  public OneTimeIds(Pool pool) {
    this.pool = pool;
  }

  /** @return true the first time a client uses an assertion id, false for a replay */
  @Override
  public Future<Boolean> useAssertion(String clientId, String jti, Instant rememberUntil) {
    return use(ASSERTION, clientId, jti, rememberUntil);
  }

  /** @return true the first time a proof id is used with a key, false for a replay */
  @Override
  public Future<Boolean> useDpopProof(String jkt, String jti, Instant rememberUntil) {
    return use(DPOP_PROOF, jkt, jti, rememberUntil);
  }

  private Future<Boolean> use(String statement, String owner, String jti, Instant rememberUntil) {
    return pool.preparedQuery(statement)
      .execute(Tuple.of(owner, jti, OffsetDateTime.ofInstant(rememberUntil, ZoneOffset.UTC)))
      .map(rows -> rows.rowCount() == 1);
  }
}
