package io.tokengate.user;

import io.tokengate.config.Config;
import io.vertx.core.Future;


/** Creates users and sets passwords: what the CLI's {@code user} commands do (and what test fixtures use). */
public final class UserRegistration {

  /** ASVS 4.0.3 V2.1.1: at least 12 characters for a password set here (imported hashes are not checked). */
  static final int MIN_PASSWORD_LENGTH = 12;

  private final UserRecords store;
  private final PasswordHashing hashing;
  private final Config.Limits limits;

  public UserRegistration(UserRecords store, PasswordHashing hashing, Config.Limits limits) {
    this.store = store;
    this.hashing = hashing;
    this.limits = limits;
  }

  public Future<User> create(String username, String password) {
    String normalized = Usernames.normalize(username);
    try {
      validate(normalized, password);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return hashing.hash(password)
      .compose(hash -> store.insert(normalized, hash))
      .map(inserted -> inserted.orElseThrow(() -> new IllegalStateException("user " + normalized + " already exists")));
  }

  /** @return false if there is no such user */
  public Future<Boolean> setPassword(String username, String password) {
    String normalized = Usernames.normalize(username);
    try {
      validate(normalized, password);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return hashing.hash(password).compose(hash -> store.updatePassword(normalized, hash));
  }

  private void validate(String normalized, String password) {
    if (!Usernames.isAcceptable(normalized, limits.usernameMaxLength())) {
      throw new IllegalArgumentException("a username is 1 to " + limits.usernameMaxLength()
        + " characters, without control characters or surrounding spaces");
    }
    int characters = password.codePointCount(0, password.length());
    if (characters < MIN_PASSWORD_LENGTH || password.length() > limits.passwordMaxLength()) {
      throw new IllegalArgumentException("a password is " + MIN_PASSWORD_LENGTH + " to " + limits.passwordMaxLength()
        + " characters");
    }
    if (password.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a password cannot contain NUL characters");
    }
  }
}
