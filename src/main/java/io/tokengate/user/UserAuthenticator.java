package io.tokengate.user;

import io.tokengate.oauth.OAuthException;
import io.vertx.core.Future;

import java.util.Optional;

/**
 * Checks a resource owner's username and password. An unknown or disabled user costs the same hash as a known one
 * and fails the same way, so that neither the answer nor its timing tells which usernames exist; a locked username
 * (existing or not) fails the same way too, without a hash. Every failure counts towards the lockout.
 */
public final class UserAuthenticator {

  private static final System.Logger LOG = System.getLogger(UserAuthenticator.class.getName());
  private static final String GENERIC_FAILURE = "the username or password is incorrect";

  private final UserStore users;
  private final PasswordHashing hashing;
  private final String decoyHash;
  private final Lockout lockout;

  /** @param decoyHash a hash in the current parameters of a password nobody knows, verified for unknown users */
  public UserAuthenticator(UserStore users, PasswordHashing hashing, String decoyHash, Lockout lockout) {
    this.users = users;
    this.hashing = hashing;
    this.decoyHash = decoyHash;
    this.lockout = lockout;
  }

  public Future<User> authenticate(String username, String password) {
    String normalized = Usernames.normalize(username);
    byte[] key = Lockout.key(normalized);
    return lockout.attempts(key).compose(attempts -> {
      if (attempts.isPresent() && attempts.get().lockedAt(lockout.now())) {
        return Future.failedFuture(refused("locked"));
      }
      return users.findByUsername(normalized).compose(found -> {
        String hash = found.map(User::passwordHash).filter(PasswordHashing::canVerify).orElse(decoyHash);
        return hashing.verify(password, hash).compose(matches -> {
          Optional<String> failure = failure(found, matches);
          if (failure.isPresent()) {
            // The count is best effort: a database hiccup here must not turn a wrong password into a 503.
            return lockout.recordFailure(key).transform(counted -> {
              if (counted.failed()) {
                LOG.log(System.Logger.Level.WARNING, "a failed password grant was not counted for lockout: "
                  + counted.cause());
              }
              return Future.failedFuture(refused(failure.get()));
            });
          }
          Future<Void> reset = attempts.isPresent() ? lockout.recordSuccess(key) : Future.succeededFuture();
          return reset.map(found.get());
        });
      });
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

  private static OAuthException refused(String reason) {
    return OAuthException.invalidGrant(GENERIC_FAILURE).because(reason);
  }
}
