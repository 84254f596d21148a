package io.tokengate.user;

import io.tokengate.oauth.OAuthException;
import io.vertx.core.Future;

import java.util.Optional;

/**
 * Checks a resource owner's username and password. An unknown or disabled user costs the same hash as a known one
 * and fails the same way, so that neither the answer nor its timing tells which usernames exist.
 */
public final class UserAuthenticator {

  private static final String GENERIC_FAILURE = "the username or password is incorrect";

  private final UserStore users;
  private final PasswordHashing hashing;
  private final String decoyHash;

  /** @param decoyHash a hash in the current parameters of a password nobody knows, verified for unknown users */
  public UserAuthenticator(UserStore users, PasswordHashing hashing, String decoyHash) {
    this.users = users;
    this.hashing = hashing;
    this.decoyHash = decoyHash;
  }

  public Future<User> authenticate(String username, String password) {
    return users.findByUsername(Usernames.normalize(username))
      .compose(found -> {
        String hash = found.map(User::passwordHash).filter(PasswordHashing::canVerify).orElse(decoyHash);
        return hashing.verify(password, hash).compose(matches -> accept(found, matches));
      });
  }

  private static Future<User> accept(Optional<User> found, boolean matches) {
    if (matches && found.isPresent() && found.get().enabled()) {
      return Future.succeededFuture(found.get());
    }
    return Future.failedFuture(OAuthException.invalidGrant(GENERIC_FAILURE));
  }
}
