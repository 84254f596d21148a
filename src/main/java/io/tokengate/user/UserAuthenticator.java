package io.tokengate.user;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.vertx.core.Future;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a resource owner's username and password. An unknown or disabled user costs the same hash as a known one
 * and fails the same way, so that neither the answer nor its timing tells which usernames exist; a locked username
 * (existing or not) fails the same way too, without a hash. Every failure counts towards the lockout.
 */
public final class UserAuthenticator {

  private static final System.Logger LOG = System.getLogger(UserAuthenticator.class.getName());
  private static final String GENERIC_FAILURE = "the username or password is incorrect";
  /** Documented for legacy clients: on this description, prompt the user for a code and send it as otp. */
  public static final String CODE_REQUIRED = "a one-time code is required: send it in the otp parameter";
  public static final String NOT_ENROLLED = "this client requires a second factor, and the user has none enrolled";

  private final UserStore users;
  private final PasswordHashing hashing;
  private final String decoyHash;
  private final Lockout lockout;
  private final SecondFactor secondFactor;
  private final MeterRegistry registry;
  private final Map<Lockout.Refusal, Counter> refusals = new EnumMap<>(Lockout.Refusal.class);

  /** @param decoyHash a hash in the current parameters of a password nobody knows, verified for unknown users */
  public UserAuthenticator(UserStore users, PasswordHashing hashing, String decoyHash, Lockout lockout,
                           SecondFactor secondFactor, MeterRegistry registry) {
    this.users = users;
    this.hashing = hashing;
    this.decoyHash = decoyHash;
    this.lockout = lockout;
    this.secondFactor = secondFactor;
    this.registry = registry;
    for (Lockout.Refusal refusal : Lockout.Refusal.values()) {
      refusals.put(refusal, Counter.builder("tokengate.lockout.refusals")
        .description("Password grants refused before their hash: the username locked, or at its threshold of "
          + "attempts in flight")
        .tag("reason", refusal.name().toLowerCase(Locale.ROOT))
        .register(registry));
    }
  }

  /**
   * @param code   the one-time code the client sent, if any
   * @param policy the client's second-factor policy
   */
  public Future<User> authenticate(String username, String password, Optional<String> code, OtpPolicy policy) {
    String normalized = Usernames.normalize(username);
    byte[] key = lockout.key(normalized);
    // The hash's place first: a request the hashing pool would refuse is refused before it costs a database query.
    Optional<HashingPool.Slot> reserved = hashing.reserve();
    if (reserved.isEmpty()) {
      return Future.failedFuture(HashingPool.busy());
    }
    HashingPool.Slot slot = reserved.get();
    // Then the attempt's place in the username's count, before the hash: parallel guesses cannot outrun it.
    return lockout.reserve(key)
      .compose(place -> {
        if (place.refusal().isPresent()) {
          return Future.<User>failedFuture(refused(place.refusal().get()));
        }
        Lockout.Reservation attempt = place.reservation().orElseThrow();
        return users.findByUsername(normalized)
          .compose(found -> verify(found, password, code, policy, slot, attempt))
          // Not an attempt after all when the work failed (a database or pool outage): nothing counted.
          .recover(failure -> failure instanceof OAuthException refusal && refusal.error() == OAuthError.INVALID_GRANT
            ? Future.failedFuture(failure)
            : attempt.released().transform(released -> Future.failedFuture(failure)));
      })
      // For the paths that never reach the hash (a refused place, a failed lookup); a no-op after a hash.
      .onComplete(done -> slot.release());
  }

  private Future<User> verify(Optional<User> found, String password, Optional<String> code, OtpPolicy policy,
                              HashingPool.Slot slot, Lockout.Reservation attempt) {
    // A stored hash this server cannot verify (a bad row) costs the decoy and fails like a wrong password.
    String hash = found.map(User::passwordHash).filter(PasswordHashing::isSupportedFormat).orElse(decoyHash);
    return hashing.verify(slot, password, hash).compose(matches -> {
      Optional<String> failure = failure(found, matches);
      if (failure.isPresent()) {
        return countedFailure(attempt, failure.get());
      }
      User user = found.get();
      return secondFactor.check(user, code, policy).compose(outcome -> switch (outcome) {
        case PASSED -> {
          rehashIfWeak(user, password);
          yield attempt.succeeded().map(user);
        }
        // The password was right: asking for the code (or saying none is enrolled) is not a failed attempt.
        case MISSING -> attempt.released().transform(released -> Future.<User>failedFuture(
          OAuthException.invalidGrant(CODE_REQUIRED).because("otp_missing")));
        case NOT_ENROLLED -> attempt.released().transform(released -> Future.<User>failedFuture(
          OAuthException.invalidGrant(NOT_ENROLLED).because("otp_not_enrolled")));
        case WRONG -> countedFailure(attempt, "wrong_otp");
        case REPLAYED -> countedFailure(attempt, "replayed_otp");
      });
    });
  }

  /**
   * After a successful login, a hash weaker than the current policy (imported bcrypt, PBKDF2, scrypt, or Argon2
   * with smaller parameters) is replaced by an Argon2id hash of the current parameters — in the background, so the
   * answer does not wait for a second hash, and only if the stored hash is still the one that verified. A full
   * hashing pool or a database hiccup just leaves it for the next login.
   */
  private void rehashIfWeak(User user, String password) {
    if (!hashing.needsRehash(user.passwordHash())) {
      return;
    }
    hashing.hash(password)
      .compose(stronger -> users.replaceHash(user.id(), user.passwordHash(), stronger))
      .onSuccess(replaced -> {
        if (replaced) {
          // How a migration from imported hashes progresses, on a dashboard.
          Counter.builder("tokengate.password.rehashes")
            .description("Stored password hashes replaced by Argon2id of the current parameters at a login")
            .tag("from", PasswordHashing.scheme(user.passwordHash()))
            .register(registry)
            .increment();
        }
      });
  }

  /** The count is best effort: a database hiccup here must not turn a wrong password into a 503. */
  private Future<User> countedFailure(Lockout.Reservation attempt, String reason) {
    return attempt.failed().transform(counted -> {
      if (counted.failed()) {
        LOG.log(System.Logger.Level.WARNING, "a failed password grant was not counted for lockout: "
          + counted.cause());
      }
      return Future.failedFuture(refused(reason));
    });
  }

  /** @return why the user may not log in (for the audit log only), or empty when they may */
  private static Optional<String> failure(Optional<User> found, boolean matches) {
    if (found.isEmpty()) {
      return Optional.of("unknown_user");
    }
    if (!matches) {
      return Optional.of("wrong_password");
    }
    return found.get().enabled() ? Optional.empty() : Optional.of("user_disabled");
  }

  /**
   * A locked username gets the answer of a wrong password; one with as many attempts in flight as it may have gets
   * the answer of a busy server (retry shortly), since its attempt was not made and nothing was counted.
   */
  private OAuthException refused(Lockout.Refusal refusal) {
    refusals.get(refusal).increment();
    return switch (refusal) {
      case LOCKED -> refused("locked");
      case ATTEMPTS_IN_FLIGHT -> OAuthException.temporarilyUnavailable(
        "too many attempts for this username at once, retry shortly", null).because("attempts_in_flight");
    };
  }

  private static OAuthException refused(String reason) {
    return OAuthException.invalidGrant(GENERIC_FAILURE).because(reason);
  }
}
