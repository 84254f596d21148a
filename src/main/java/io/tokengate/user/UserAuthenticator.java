package io.tokengate.user;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.vertx.core.Future;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a resource owner's username and password: a place on the hashing pool and in the username's lockout count
 * first, then the user directories in order (the first that knows the username decides), then the second factor.
 * An unknown or disabled user costs the same hash as a known one and fails the same way, so that neither the answer
 * nor its timing tells which usernames exist; a locked username (existing or not) fails the same way too, without a
 * hash. Every failure counts towards the lockout.
 */
public final class UserAuthenticator {

  private static final System.Logger LOG = System.getLogger(UserAuthenticator.class.getName());
  private static final String GENERIC_FAILURE = "the username or password is incorrect";
  /** Documented for legacy clients: on this description, prompt the user for a code and send it as otp. */
  public static final String CODE_REQUIRED = "a one-time code is required: send it in the otp parameter";
  public static final String NOT_ENROLLED = "this client requires a second factor, and the user has none enrolled";

  private final List<UserDirectory> directories;
  private final PasswordHashing hashing;
  private final String decoyHash;
  private final Lockout lockout;
  private final SecondFactor secondFactor;
  private final Map<Lockout.Refusal, Counter> refusals = new EnumMap<>(Lockout.Refusal.class);

  /**
   * @param directories the user sources, tried in this order
   * @param decoyHash   a hash in the current parameters of a password nobody knows, verified when no directory knows
   *                    the username
   */
  public UserAuthenticator(List<UserDirectory> directories, PasswordHashing hashing, String decoyHash, Lockout lockout,
                           SecondFactor secondFactor, MeterRegistry registry) {
    this.directories = List.copyOf(directories);
    this.hashing = hashing;
    this.decoyHash = decoyHash;
    this.lockout = lockout;
    this.secondFactor = secondFactor;
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
        return ask(0, normalized, password, slot)
          .compose(verdict -> decide(verdict, code, policy, attempt))
          // Not an attempt after all when the work failed (a database or pool outage): nothing counted.
          .recover(failure -> failure instanceof OAuthException refusal && refusal.error() == OAuthError.INVALID_GRANT
            ? Future.failedFuture(failure)
            : attempt.released().transform(released -> Future.failedFuture(failure)));
      })
      // For the paths that never reach the hash (a refused place, a failed lookup); a no-op after a hash.
      .onComplete(done -> slot.release());
  }

  /** The directories in order, until one knows the username; when none does, the decoy hash, for equal work. */
  private Future<UserDirectory.Verdict> ask(int index, String normalized, String password, HashingPool.Slot slot) {
    if (index == directories.size()) {
      return hashing.verify(slot, password, decoyHash)
        .map(ignored -> new UserDirectory.Refused("unknown_user", Optional.empty()));
    }
    return directories.get(index).verify(normalized, password, slot)
      .compose(verdict -> verdict instanceof UserDirectory.NotMine ? ask(index + 1, normalized, password, slot)
        : Future.succeededFuture(verdict));
  }

  private Future<User> decide(UserDirectory.Verdict verdict, Optional<String> code, OtpPolicy policy,
                              Lockout.Reservation attempt) {
    if (verdict instanceof UserDirectory.Refused refused) {
      return countedFailure(attempt, refused.reason());
    }
    User user = ((UserDirectory.Verified) verdict).user();
    return secondFactor.check(user, code, policy).compose(outcome -> switch (outcome) {
      case PASSED -> attempt.succeeded().map(user);
      // The password was right: asking for the code (or saying none is enrolled) is not a failed attempt.
      case MISSING -> attempt.released().transform(released -> Future.<User>failedFuture(
        OAuthException.invalidGrant(CODE_REQUIRED).because("otp_missing")));
      case NOT_ENROLLED -> attempt.released().transform(released -> Future.<User>failedFuture(
        OAuthException.invalidGrant(NOT_ENROLLED).because("otp_not_enrolled")));
      case WRONG -> countedFailure(attempt, "wrong_otp");
      case REPLAYED -> countedFailure(attempt, "replayed_otp");
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
