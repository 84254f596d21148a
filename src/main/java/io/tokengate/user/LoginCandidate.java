package io.tokengate.user;

import java.util.Optional;

/**
 * What a password grant reads before the hash, in one round trip: the user with that username, if any, and the
 * username's failures as stored, if any (whether they still count is {@link Lockout}'s call).
 */
record LoginCandidate(Optional<User> user, Optional<Lockout.Attempts> storedAttempts) {
}
