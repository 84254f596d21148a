package io.tokengate.user;

import io.vertx.core.Future;

import java.util.Optional;

/**
 * A source of users, asked about one login attempt: it looks the username up and checks the password itself (a
 * hash on the hashing pool, a bind to a directory), and answers that the username is not its own, that it verified
 * the user, or that it refused. Tried in order by {@link UserAuthenticator}, like the providers of Spring Security's
 * {@code ProviderManager}: the first that knows the username decides, and a refusal there never falls through.
 */
public interface UserDirectory {

  /** The source's name, as configuration and audit lines say it ({@code local}). */
  String name();

  /**
   * @param slot the hashing pool's place reserved for this attempt, for a directory that hashes
   */
  Future<Verdict> verify(String normalizedUsername, String password, HashingPool.Slot slot);

  /** What a directory says of one attempt. */
  sealed interface Verdict {
  }

  /** The username is not this directory's: ask the next. Nothing was verified. */
  record NotMine() implements Verdict {
  }

  /** The password is the user's and the user may log in. */
  record Verified(User user) implements Verdict {
  }

  /**
   * The username is this directory's and the attempt fails: a wrong password, a disabled user.
   *
   * @param reason the server's own reason, for the audit line only
   */
  record Refused(String reason, Optional<User> user) implements Verdict {
  }
}
