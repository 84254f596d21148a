package io.tokengate.user;

import io.tokengate.config.Config;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Account lockout (RFC 6749 §4.3.2: protect the endpoint against brute force), per normalized username whether or
 * not it exists, in PostgreSQL so that every replica counts the same failures. After {@code threshold} consecutive
 * failures the username is locked for {@code base_delay}, doubling with each further failure up to
 * {@code max_delay}; a success, or no failure for {@code reset_after}, starts the count again. Attempts while locked
 * are refused without a hash and do not count: the lock ends when it says it does.
 * <p>
 * Each attempt {@linkplain #reserve reserves} its place before its hash, in one statement that every replica's
 * attempts serialize on: failures plus attempts in flight may not pass the threshold (after a lock, one attempt at
 * a time), so parallel guesses cannot outrun the count. The reservation is then settled as a failure, a success, or
 * released uncounted (the password was right but a code is missing, or the work failed for overload).
 * <p>
 * A clean success costs one write, its reservation: when its username had no failure counting and no other attempt
 * in flight, there is nothing to clear, and its place is given back by this replica's next reservation of the
 * username, in that same write (or, if none comes, by the place's lease). Such a place keeps at most one place of the
 * username taken meanwhile, even one a stopped replica never gave back (while it is counted, no other reservation
 * finds itself alone). Any other success clears its failures and gives its place back at once, as failures and
 * released attempts do.
 */
public final class Lockout {

  /** What is known of a username's recent failures. */
  public record Attempts(int failures, Instant lastFailureAt, Optional<Instant> lockedUntil) {

    public boolean lockedAt(Instant now) {
      return lockedUntil.filter(now::isBefore).isPresent();
    }
  }

  /** Why an attempt got no place: the username is locked, or as many attempts as it may have are in flight. */
  public enum Refusal { LOCKED, ATTEMPTS_IN_FLIGHT }

  /** The place of one attempt in its username's count; settle it exactly once. */
  public final class Reservation {
    private final byte[] key;
    private final boolean held;
    /** Nothing to clear on success: no failure was counting, and no other attempt held a place. */
    private final boolean alone;
    private final Optional<Instant> run;
    private final Instant reservedAt;

    private Reservation(byte[] key, boolean held, boolean alone, Optional<Instant> run, Instant reservedAt) {
      this.key = key;
      this.held = held;
      this.alone = alone;
      this.run = run;
      this.reservedAt = reservedAt;
    }

    /** A wrong password (or code): counts, and may lock. */
    public Future<Attempts> failed() {
      return held ? recordFailure(key) : Future.succeededFuture(new Attempts(0, now(), Optional.empty()));
    }

    /**
     * A success: alone, it writes nothing (the place goes back with this replica's next reservation of the
     * username); otherwise the count starts again and the place is given back, in one write.
     */
    public Future<Void> succeeded() {
      if (!held) {
        return Future.succeededFuture();
      }
      if (alone && releases.keep(key, run, reservedAt, now())) {
        return Future.succeededFuture();
      }
      return failures.recordSuccess(key);
    }

    /** Not an attempt after all (overload, a missing code after the right password): the place is given back. */
    public Future<Void> released() {
      return held ? failures.release(key) : Future.succeededFuture();
    }


  }

  /** A reservation, or why there is none. */
  public record Reserved(Optional<Reservation> reservation, Optional<Refusal> refusal) {
  }

  /**
   * How long a reserved place is held at most: longer than any attempt takes (hashing-queue wait + hash + queries),
   * so that only a replica that died mid-attempt leaves places behind, and then not for long.
   */
  static final Duration LEASE = Duration.ofSeconds(30);

  private final LoginFailures failures;
  private final Config.Lockout policy;
  private final Clock clock;
  private final UsernameDigests usernames;
  private final PendingReleases releases = new PendingReleases(Duration.ofMinutes(5));

  public Lockout(LoginFailures failures, Config.Lockout policy, Clock clock, UsernameDigests usernames) {
    this.failures = failures;
    this.policy = policy;
    this.clock = clock;
    this.usernames = usernames;
  }

  public boolean enabled() {
    return policy.threshold() > 0;
  }

  /**
   * The key of a normalized username: its HMAC under {@code users.username_key} (PostgreSQL computes the same for a
   * user's refresh tokens, through {@link UsernameDigests#sql}).
   */
  public byte[] key(String normalizedUsername) {
    return usernames.digest(normalizedUsername);
  }

  public Instant now() {
    return clock.instant();
  }

  /** @return the username's recent failures, empty when it has none that still count */
  public Future<Optional<Attempts>> attempts(byte[] key) {
    if (!enabled()) {
      return Future.succeededFuture(Optional.empty());
    }
    return failures.find(key).map(this::stillCounting);
  }

  /** @return the stored failures if they still count (a lock, or a failure within {@code reset_after}) */
  private Optional<Attempts> stillCounting(Optional<Attempts> stored) {
    return stored.filter(this::stillCounts);
  }

  /**
   * Reserves the place of one attempt before its hash; without a lockout, a place that costs nothing. A database
   * failure fails the future (the attempt is refused for the outage, and nothing counted).
   */
  public Future<Reserved> reserve(byte[] key) {
    if (!enabled()) {
      return Future.succeededFuture(new Reserved(Optional.of(new Reservation(key, false, false, Optional.empty(), Instant.EPOCH)),
        Optional.empty()));
    }
    Instant now = now();
    LoginFailures.Released released = releases.take(key);
    return failures.reserve(key, now, policy.threshold(), policy.resetAfter(), LEASE, released)
      .onFailure(failure -> releases.putBack(key, released, now))
      .map(placement -> {
        if (placement.reserved()) {
          // Alone: no failure to clear and no other place taken (a leftover place included, so at most one is ever
          // kept per username). Under a threshold of 3 a kept place would cost the others too much.
          boolean alone = placement.failures() == 0 && placement.inFlight() == 1 && policy.threshold() >= 3;
          return new Reserved(Optional.of(new Reservation(key, true, alone, placement.run(), now)), Optional.empty());
        }
        releases.putBack(key, released, now);
        return new Reserved(Optional.empty(), Optional.of(placement.lockedUntil().filter(now::isBefore).isPresent()
          ? Refusal.LOCKED : Refusal.ATTEMPTS_IN_FLIGHT));
      });
  }

  /**
   * Gives back the places this replica keeps, at shutdown: left counted, each would keep its username's logins from
   * being alone (and so from costing one write) until the username is quiet for the lease.
   */
  public Future<Void> releaseKept() {
    Instant now = now();
    return Future.join(releases.drain().stream()
      .map(kept -> failures.release(kept.key(), kept.released(), now)).toList()).mapEmpty();
  }

  private Future<Attempts> recordFailure(byte[] key) {
    return failures.recordFailure(key, now(), policy);
  }

  /** @return whether there was anything to forget (the operator's {@code user unlock}) */
  public Future<Boolean> unlock(String normalizedUsername) {
    return failures.forget(key(normalizedUsername));
  }

  private boolean stillCounts(Attempts attempts) {
    Instant now = now();
    return attempts.lockedAt(now) || attempts.failures() > 0
      && attempts.lastFailureAt().plus(policy.resetAfter()).isAfter(now);
  }
}
