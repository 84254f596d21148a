package io.tokengate.token;

import io.tokengate.user.UserProfile;
import io.vertx.core.Future;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Refresh-token families as {@link RefreshTokens} needs them; the PostgreSQL adapter is
 * {@code store.RefreshTokenFamiliesTable}. Tokens are given by their hash, never by value.
 *
 * <p>A decision about a presented token runs as a callback while the adapter holds the family's row lock, in one
 * transaction: the adapter locks and reads (family and token in one flight), the policy decides and asks for the
 * writes it wants through {@link LockedFamily}; a decision that succeeds commits, one that fails rolls back.
 */
public interface RefreshTokenFamilies {

  /**
   * A family as read under its lock, with what decides whether its tokens may still be used now.
   *
   * @param userLocked    its user's username is locked out (lockout.*) at the time given to the lock
   * @param clientAllowed its client is enabled and still registered for the refresh_token grant
   * @param resources     the resources of the grant (RFC 8707)
   * @param authTime      when the user authenticated (the family's start for families older than the column)
   * @param amr           how the user authenticated (empty for families older than the column)
   * @param user          the user's attributes and groups as its row holds them now
   */
  record Family(UUID familyId, String clientId, UUID userId, List<String> scopes, Instant expiresAt, boolean revoked,
                Optional<String> dpopKey, boolean userEnabled, boolean userLocked, boolean clientAllowed,
                List<String> resources, Instant authTime, List<String> amr, UserProfile user) {
  }

  /**
   * The presented token's row, read once the family's lock is held.
   *
   * @param successorSealed the successor sealed under a key derived from this token (empty without a grace window)
   */
  record Token(boolean rotated, Optional<Instant> idleExpiresAt, Optional<Instant> rotatedAt,
               Optional<byte[]> successorHash, Optional<byte[]> successorSealed, boolean graceUsed) {
  }

  /** A token presented for rotation: its family, locked, and its own row. */
  record Presented(LockedFamily family, Token token) {
  }

  /** A new family and its first token. */
  record NewFamily(UUID familyId, String clientId, UUID userId, Set<String> scopes, Optional<String> dpopKey,
                   Instant createdAt, Instant expiresAt, byte[] tokenHash, Optional<Instant> idleExpiresAt,
                   List<String> resources, Instant authTime, List<String> amr) {
  }

  /** A token that is active and whose family, user and client still allow it (its expiry is left to the policy). */
  record Active(String clientId, UUID userId, String username, Set<String> scopes, Instant issuedAt,
                Instant familyExpiresAt, Optional<Instant> idleExpiresAt) {
  }

  /** A family whose row lock is held: what the policy may write before the lock is let go. */
  interface LockedFamily {

    Family family();

    /** Retires {@code tokenHash} in favour of a new active token of the family. */
    Future<Void> rotate(byte[] tokenHash, Instant now, byte[] successorHash, Optional<byte[]> successorSealed,
                        Optional<Instant> successorIdleExpiresAt);

    /** Marks the grace window of a rotated token as spent. */
    Future<Void> spendGrace(byte[] tokenHash);

    /** Whether a token of the family is the active one. */
    Future<Boolean> isActive(byte[] tokenHash);

    /** Revokes the whole family. */
    Future<Void> revoke(Instant now);
  }

  Future<Void> start(NewFamily family);

  /**
   * Locks the family of {@code tokenHash} and reads it with the token, then runs {@code decision} under the lock:
   * with empty when no such token (or family) exists.
   *
   * @param now the time at which a user's lockout counts
   */
  <T> Future<T> present(byte[] tokenHash, Instant now, Function<Optional<Presented>, Future<T>> decision);

  /** Locks the family of {@code tokenHash} (without reading the token) and runs {@code decision} under the lock. */
  <T> Future<T> lockFamilyOf(byte[] tokenHash, Instant now, Function<Optional<LockedFamily>, Future<T>> decision);

  /** The token if it is active, its family not revoked, its user enabled and not locked out, its client allowed. */
  Future<Optional<Active>> findActive(byte[] tokenHash, Instant now);

  Future<Boolean> isRevoked(UUID familyId);

  /** Revokes every family of a user that is live at {@code now}; @return how many */
  Future<Integer> revokeAllOf(UUID userId, Instant now);
}
