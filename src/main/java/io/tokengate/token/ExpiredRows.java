package io.tokengate.token;

import io.vertx.core.Future;

import java.time.Instant;

/**
 * The rows {@link ExpiredTokenPurger} deletes, a batch at a time; the PostgreSQL adapter is
 * {@code store.ExpiredRowsTable}. Replicas may delete at the same time without waiting for each other.
 */
public interface ExpiredRows {

  /** What can expire, each kind with the time that decides it. */
  enum Kind {
    /** Refresh-token families (with their tokens) by their absolute expiry. */
    REFRESH_TOKEN_FAMILIES,
    /** Revoked access-token ids by the expiry of the token. */
    REVOKED_ACCESS_TOKENS,
    /** Used client-assertion ids by the end of their assertion's window. */
    USED_ASSERTION_IDS,
    /** Used DPoP proof ids by the end of their proof's window. */
    USED_PROOF_IDS,
    /** Lockout counts by their last failure and the end of their attempts in flight. */
    LOGIN_FAILURES
  }

  /** Deletes at most {@code limit} rows of {@code kind} whose time is at or before {@code cutoff}; @return how many */
  Future<Integer> deleteBatch(Kind kind, Instant cutoff, int limit);
}
