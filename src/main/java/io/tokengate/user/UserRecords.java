package io.tokengate.user;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * tokengate's own user records, as the policy needs them: the local directory, the second factor, registration and
 * the operator's commands. Usernames are given normalized. The PostgreSQL adapter is {@code store.UserStore}.
 */
public interface UserRecords {

  Future<Optional<User>> findByUsername(String normalizedUsername);

  Future<Optional<User>> findById(UUID id);

  /** Users whose username starts with {@code prefix}, in username order, at most {@code limit}. */
  Future<List<User>> list(String prefix, int limit);

  /** @return the new user, or empty if the username is taken */
  Future<Optional<User>> insert(String normalizedUsername, String passwordHash);

  /** @return how many of the imported users were new (an existing username is left as it is) */
  Future<Integer> importUsers(List<ImportLine> lines);

  /** @return false if there is no such user */
  Future<Boolean> enable(String normalizedUsername);

  /** @return false if there is no such user */
  Future<Boolean> disable(String normalizedUsername);

  /** Deletes a user with its sessions and failed attempts; the deleted user, or empty if there is none. */
  Future<Optional<User>> delete(String normalizedUsername);

  /** Replaces a user's attributes and groups. @return false if there is no such user */
  Future<Boolean> setProfile(UUID userId, UserProfile profile);

  Future<Boolean> updatePassword(String normalizedUsername, String passwordHash);

  /** Replaces a hash that verified with a stronger one, unless it changed meanwhile. */
  Future<Boolean> replaceHash(UUID userId, String verifiedHash, String newHash);

  /** Accepts a TOTP time step once: only if it is later than the last one accepted. @return false for a replay */
  Future<Boolean> acceptTotpStep(UUID userId, long step);

  /** Enrolls (or replaces, or with null removes) a user's sealed TOTP secret. */
  Future<Boolean> setTotpSecret(UUID userId, byte[] sealed);
}
