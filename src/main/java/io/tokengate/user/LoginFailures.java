package io.tokengate.user;

import io.tokengate.config.Config;
import io.vertx.core.Future;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The lockout counts of usernames, shared by every replica, keyed by {@link Lockout#key}. Each operation is one
 * atomic statement in the adapter ({@code store.LoginFailuresTable}), so that replicas counting one username at once
 * take turns and lose nothing; the policy's numbers come in as parameters.
 */
public interface LoginFailures {

  /**
   * What a reservation found: a place was taken, or none was (the username locked until {@code lockedUntil}, or as
   * many attempts in flight as failures left allow).
   *
   * @param failures the failures still counting, and {@code inFlight} the places taken, this one included (both 0
   *                 when no place was taken)
   * @param run      when the run of places this one belongs to began (places in flight restart when their lease
   *                 lapses)
   */
  record Placement(boolean reserved, Optional<Instant> lockedUntil, int failures, int inFlight, Optional<Instant> run) {
  }

  /** Places of earlier successes to give back, and the run they were taken in. */
  record Released(int count, Optional<Instant> run) {
    public static final Released NONE = new Released(0, Optional.empty());
  }

  /**
   * Takes a place for one attempt when the username is not locked and its failures still counting (within
   * {@code resetAfter}) plus its attempts in flight (within their {@code lease}) are under {@code threshold}.
   * In the same write, {@code released} places of earlier attempts that succeeded are given back first, if their run
   * is still the current one; when no place is taken, they are not (the caller keeps them to give back later).
   */
  Future<Placement> reserve(byte[] key, Instant now, int threshold, Duration resetAfter, Duration lease,
                            Released released);

  /** Counts a failure (restarting after {@code reset_after}), locks from the threshold on, and gives the place back. */
  Future<Lockout.Attempts> recordFailure(byte[] key, Instant now, Config.Lockout policy);

  /** A success: the count starts again and the place is given back. */
  Future<Void> recordSuccess(byte[] key);

  /** Not an attempt after all: the place is given back, nothing counted. */
  Future<Void> release(byte[] key);

  /** Places kept for clean successes, given back on their own (at shutdown), only into the run they were taken in. */
  Future<Void> release(byte[] key, Released released, Instant now);

  /** The stored count, if any. */
  Future<Optional<Lockout.Attempts>> find(byte[] key);

  /** @return whether there was anything to forget */
  Future<Boolean> forget(byte[] key);
}
