package io.tokengate.user;

import io.vertx.core.Future;

import java.util.Optional;

/**
 * A user source outside tokengate's table (an LDAP directory, a legacy application's SQL table), as the login policy
 * needs it: find an account by username, check a password against it, read it again by its external id. The policy
 * around it (the order of sources, lockout and rate limits before the source checks a password, the local row every
 * external user gets, migration into the local table, the recheck on refresh) is the same for every source; an
 * adapter only talks to its server.
 *
 * <p>A source that cannot answer (a timeout, a refused connection, a certificate that does not verify, its queue
 * full) fails the future with {@link SourceUnavailableException}: an outage, never a wrong password, and never a
 * reason to ask the next source.
 */
public interface ExternalSource {

  /** The source's configured name: part of every {@code sub} of its users, so it never changes. */
  String name();

  /**
   * Looks a username up (an LDAP search with the service account, the legacy query).
   *
   * @param normalizedUsername the username as tokengate normalizes it (NFC); the source may resolve it further
   * @return empty when the source does not know it; a refusal when it matches more than one account
   */
  Future<Lookup> find(String normalizedUsername);

  /**
   * Checks the password of an account {@link #find} returned (an LDAP bind as its DN, the legacy hash on the hashing
   * pool). Never called with an empty password.
   */
  Future<PasswordCheck> checkPassword(Account account, String password, HashingPool.Slot slot);

  /** Reads an account again by its external id, for a refresh's recheck: empty when it is gone. */
  Future<Optional<Account>> reread(String externalId);

  /** What {@link #find} says. */
  sealed interface Lookup {
  }

  record NotFound() implements Lookup {
  }

  /** More than one account matches: refused and audited, never "the first". */
  record Ambiguous(int matches) implements Lookup {
  }

  record Found(Account account) implements Lookup {
  }

  /**
   * One account of the source.
   *
   * @param externalId the source's stable id for it (an LDAP entryUUID or objectGUID, a row's id as text)
   * @param username   the username as the source resolves it: the lockout key, so that case variants share a count
   * @param locator    where it was found, for the operator ({@code user test}): a DN, a table's id; never a secret
   * @param enabled    false when the source says the account is disabled
   * @param profile    its mapped attributes and groups
   * @param credential what {@link #checkPassword} needs besides the password (a stored hash); never logged
   */
  record Account(String externalId, String username, String locator, boolean enabled, UserProfile profile,
                 Optional<String> credential) {

    @Override
    public String toString() {
      return "Account[" + externalId + ", " + username + ", " + locator + (enabled ? "" : ", disabled") + "]";
    }
  }

  /** What {@link #checkPassword} says. */
  sealed interface PasswordCheck {
  }

  record Accepted() implements PasswordCheck {
  }

  /**
   * The password does not open the account, or the account may not log in.
   *
   * @param reason  for the audit line only (e.g. {@code wrong_password}, {@code account_locked},
   *                {@code password_expired}); the client sees the generic {@code invalid_grant}
   * @param counted false when the password was right but the account cannot log in now (expired, must change): not
   *                a failed attempt for lockout
   */
  record Rejected(String reason, boolean counted) implements PasswordCheck {
  }
}
