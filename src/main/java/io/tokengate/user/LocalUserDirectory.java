package io.tokengate.user;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;

import java.util.Optional;

/**
 * tokengate's own users table: the password checked against the stored hash on the hashing pool. A disabled user
 * costs the same hash as an enabled one; a stored hash this server cannot verify (a bad row) costs the decoy and
 * fails like a wrong password. After a successful login a hash weaker than the current policy is replaced.
 */
public final class LocalUserDirectory implements UserDirectory {

  public static final String NAME = "local";

  private final UserRecords users;
  private final PasswordHashing hashing;
  private final String decoyHash;
  private final MeterRegistry registry;

  /** @param decoyHash a hash in the current parameters of a password nobody knows */
  public LocalUserDirectory(UserRecords users, PasswordHashing hashing, String decoyHash, MeterRegistry registry) {
    this.users = users;
    this.hashing = hashing;
    this.decoyHash = decoyHash;
    this.registry = registry;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Verdict> verify(String normalizedUsername, String password, HashingPool.Slot slot) {
    return users.findByUsername(normalizedUsername)
      .compose(found -> found.isEmpty() ? Future.succeededFuture(new NotMine()) : check(found.get(), password, slot));
  }

  private Future<Verdict> check(User user, String password, HashingPool.Slot slot) {
    String hash = PasswordHashing.isSupportedFormat(user.passwordHash()) ? user.passwordHash() : decoyHash;
    return hashing.verify(slot, password, hash).map(matches -> {
      if (!matches) {
        return new Refused("wrong_password", Optional.of(user));
      }
      if (!user.enabled()) {
        return new Refused("user_disabled", Optional.of(user));
      }
      rehashIfWeak(user, password);
      return new Verified(user);
    });
  }

  /**
   * A hash weaker than the current policy (imported bcrypt, PBKDF2, scrypt, or Argon2 with smaller parameters) is
   * replaced by an Argon2id hash of the current parameters — in the background, so the answer does not wait for a
   * second hash, and only if the stored hash is still the one that verified. A full hashing pool or a database
   * hiccup just leaves it for the next login.
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
}
