package io.tokengate.user;

import io.vertx.core.Future;

import java.util.Optional;
import java.util.UUID;

/** tokengate's own user records, as the local directory needs them (the PostgreSQL adapter is {@link UserStore}). */
public interface UserRecords {

  Future<Optional<User>> findByUsername(String normalizedUsername);

  /** Replaces a hash that verified with a stronger one, unless it changed meanwhile. */
  Future<Boolean> replaceHash(UUID userId, String verifiedHash, String newHash);
}
