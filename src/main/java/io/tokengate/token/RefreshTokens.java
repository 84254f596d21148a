package io.tokengate.token;

import io.tokengate.client.Client;
import io.tokengate.config.Config;
import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.tokengate.token.RefreshTokenFamilies.Family;
import io.tokengate.token.RefreshTokenFamilies.LockedFamily;
import io.tokengate.token.RefreshTokenFamilies.NewFamily;
import io.tokengate.token.RefreshTokenFamilies.Token;
import io.tokengate.user.UserProfile;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Refresh-token families with rotation and reuse detection (RFC 6749 §6, RFC 9700 §4.14.2).
 *
 * <p>Every decision about a family's tokens — rotate, detect reuse, revoke — is taken in one transaction holding the
 * family's row lock. Rotations of one family therefore happen one at a time, a revocation cannot miss a successor
 * being added concurrently, and two replays of one family cannot deadlock.
 */
public final class RefreshTokens {

  /** A new family: its first token (never stored) and its id (the {@code sid} of its access tokens). */
  public record Started(UUID familyId, String token) {
  }

  /** The result of presenting a refresh token. */
  public sealed interface Rotation permits Rotated, Refused {
  }

  /**
   * @param granted     the scopes of the new access token (the family's, or fewer if the client asked)
   * @param tokenScopes the scopes of the family, which every refresh token of it keeps (RFC 6749 §6)
   * @param newToken    the successor, to be returned to the client
   */
  public record Rotated(RefreshOutcome outcome, UUID familyId, UUID userId, Set<String> granted,
                        Set<String> tokenScopes, String newToken, UserProfile profile, List<String> resources,
                        IdTokenIssuer.Authentication authentication) implements Rotation {
  }

  /**
   * What a refresh may still grant, decided while the family is locked, from the user as read at this refresh:
   * the scopes the user may have now (a user removed from a group loses the scope here), and the resources a
   * refresh asked for, checked against the family's. It fails (invalid_scope, invalid_target) to change nothing.
   */
  public interface Narrowing {
    /**
     * @param scopes    the scopes asked for (the family's, or fewer)
     * @param resources the family's resources
     * @return the scopes granted now
     */
    Set<String> decide(Set<String> scopes, UserProfile user, List<String> resources);
  }

  public record Refused(RefreshOutcome outcome) implements Rotation {
  }

  /** A live refresh token, as introspection reports it. */
  public record Live(String clientId, UUID userId, String username, Set<String> scopes, Instant issuedAt,
                     Instant expiresAt) {
  }

  private final RefreshTokenFamilies families;
  private final Clock clock;
  private final Config.Tokens defaults;

  public RefreshTokens(RefreshTokenFamilies families, Clock clock, Config.Tokens defaults) {
    this.families = families;
    this.clock = clock;
    this.defaults = defaults;
  }

  /**
   * Starts a family for a password grant.
   *
   * @param dpopKey the thumbprint of the DPoP key the family is bound to, if the grant came with a proof
   */
  public Future<Started> startFamily(Client client, UUID userId, Set<String> scopes, Optional<String> dpopKey) {
    return startFamily(client, userId, scopes, dpopKey, List.of(),
      new IdTokenIssuer.Authentication(clock.instant(), List.of("pwd")));
  }

  /**
   * @param resources      the resources of the grant (RFC 8707), which its refreshes may narrow
   * @param authentication when and how the user authenticated, for the ID tokens of its refreshes
   */
  public Future<Started> startFamily(Client client, UUID userId, Set<String> scopes, Optional<String> dpopKey,
                                     List<String> resources, IdTokenIssuer.Authentication authentication) {
    String token = RefreshTokenValues.generate();
    UUID familyId = UUID.randomUUID();
    Instant now = clock.instant();
    Instant expiresAt = now.plus(client.refreshTokenTtl().orElse(defaults.refreshTokenLifetime()));
    return families.start(new NewFamily(familyId, client.clientId(), userId, scopes, dpopKey, now, expiresAt,
        RefreshTokenValues.hash(token), idleExpiry(client, now, expiresAt), resources, authentication.authTime(),
        authentication.amr()))
      .map(new Started(familyId, token));
  }

  /**
   * Presents a refresh token for a client: rotates it, or refuses it — revoking its family when a retired token is
   * replayed. A scope wider than the family's fails with invalid_scope and changes nothing; so does a family bound
   * to a DPoP key presented without a proof by that key.
   *
   * @param dpopKey the thumbprint of the key of the request's DPoP proof, if it had one
   */
  public Future<Rotation> rotate(String token, Client client, Optional<Set<String>> requestedScopes,
                                 Optional<String> dpopKey) {
    return rotate(token, client, requestedScopes, dpopKey, (scopes, user, resources) -> scopes);
  }

  public Future<Rotation> rotate(String token, Client client, Optional<Set<String>> requestedScopes,
                                 Optional<String> dpopKey, Narrowing narrowing) {
    if (token.length() > RefreshTokenValues.MAX_LENGTH) {
      return refused(RefreshOutcome.UNKNOWN);
    }
    byte[] hash = RefreshTokenValues.hash(token);
    Instant now = clock.instant();
    return families.present(hash, now, presented -> presented.isEmpty() ? refused(RefreshOutcome.UNKNOWN)
      : decide(token, hash, presented.get().family(), presented.get().token(), client, requestedScopes, dpopKey,
        narrowing));
  }

  private Future<Rotation> decide(String token, byte[] hash, LockedFamily locked, Token current, Client client,
                                  Optional<Set<String>> requestedScopes, Optional<String> dpopKey,
                                  Narrowing narrowing) {
    Instant now = clock.instant();
    Family family = locked.family();
    if (!client.clientId().equals(family.clientId())) {
      return refused(RefreshOutcome.WRONG_CLIENT);
    }
    // Before reuse detection: someone without the key must not be able to revoke the session by replaying.
    if (family.dpopKey().isPresent() && !dpopKey.equals(family.dpopKey())) {
      return refused(RefreshOutcome.DPOP_KEY_MISMATCH);
    }
    if (family.revoked()) {
      return refused(RefreshOutcome.REVOKED);
    }
    if (!now.isBefore(family.expiresAt())) {
      return refused(RefreshOutcome.EXPIRED);
    }
    // A retired token is judged before its idle expiry: a replay is a replay however long it waited.
    if (current.rotated()) {
      return graceSuccessor(locked, token, current, now).compose(successor -> successor.isPresent()
        ? honour(family, requestedScopes, narrowing, RefreshOutcome.GRACE, successor.get(), () -> locked.spendGrace(hash))
        : locked.revoke(now).map(new Refused(RefreshOutcome.REUSE_DETECTED)));
    }
    if (current.idleExpiresAt().filter(idle -> !now.isBefore(idle)).isPresent()) {
      return refused(RefreshOutcome.EXPIRED);
    }
    String successor = RefreshTokenValues.generate();
    Optional<byte[]> sealed = defaults.refreshTokenReuseGrace().isZero() ? Optional.empty()
      : Optional.of(RefreshTokenValues.seal(token, successor));
    return honour(family, requestedScopes, narrowing, RefreshOutcome.ROTATED, successor, () -> locked.rotate(hash, now,
      RefreshTokenValues.hash(successor), sealed, idleExpiry(client, now, family.expiresAt())));
  }

  /**
   * The checks every honoured token passes, then its write: the client must still be allowed refresh tokens, the
   * user enabled, and a requested scope may narrow the family's, never widen it (invalid_scope, nothing written).
   */
  private static Future<Rotation> honour(Family family, Optional<Set<String>> requestedScopes, Narrowing narrowing,
                                         RefreshOutcome outcome, String newToken, Supplier<Future<?>> write) {
    if (!family.clientAllowed()) {
      return refused(RefreshOutcome.CLIENT_DISABLED);
    }
    if (!family.userEnabled()) {
      return refused(RefreshOutcome.USER_DISABLED);
    }
    if (family.userLocked()) {
      return refused(RefreshOutcome.USER_LOCKED);
    }
    Set<String> tokenScopes = new LinkedHashSet<>(family.scopes());
    Set<String> granted = requestedScopes.filter(requested -> !requested.isEmpty()).orElse(tokenScopes);
    if (!tokenScopes.containsAll(granted)) {
      return Future.failedFuture(OAuthException.of(OAuthError.INVALID_SCOPE,
        "the requested scope exceeds the scope of the refresh token"));
    }
    Set<String> narrowed;
    try {
      narrowed = narrowing.decide(granted, family.user(), family.resources());
    } catch (OAuthException e) {
      return Future.failedFuture(e);
    }
    IdTokenIssuer.Authentication authentication = new IdTokenIssuer.Authentication(family.authTime(),
      family.amr().isEmpty() ? List.of("pwd") : family.amr());
    return write.get().map(written -> new Rotated(outcome, family.familyId(), family.userId(), narrowed, tokenScopes,
      newToken, family.user(), family.resources(), authentication));
  }

  /**
   * Inside the reuse grace window, the token rotated away last may be presented once more, and gets the very
   * successor it was rotated into — provided that successor is still the family's live token.
   */
  private Future<Optional<String>> graceSuccessor(LockedFamily locked, String token, Token current, Instant now) {
    Duration grace = defaults.refreshTokenReuseGrace();
    if (grace.isZero() || current.graceUsed() || current.rotatedAt().isEmpty()
      || !now.isBefore(current.rotatedAt().get().plus(grace))) {
      return Future.succeededFuture(Optional.empty());
    }
    Optional<String> successor = RefreshTokenValues.unseal(token, current.successorSealed().orElse(null));
    if (successor.isEmpty() || current.successorHash().isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    return locked.isActive(current.successorHash().get())
      .map(active -> active ? successor : Optional.empty());
  }

  /** @return the token if it is active and usable now; empty for anything else */
  public Future<Optional<Live>> describe(String token) {
    if (token.length() > RefreshTokenValues.MAX_LENGTH) {
      return Future.succeededFuture(Optional.empty());
    }
    Instant now = clock.instant();
    return families.findActive(RefreshTokenValues.hash(token), now).map(found -> found.flatMap(active -> {
      Instant expiresAt = active.idleExpiresAt().filter(idle -> idle.isBefore(active.familyExpiresAt()))
        .orElse(active.familyExpiresAt());
      return clock.instant().isBefore(expiresAt)
        ? Optional.of(new Live(active.clientId(), active.userId(), active.username(), active.scopes(),
          active.issuedAt(), expiresAt))
        : Optional.empty();
    }));
  }

  /** Whether a family was revoked (its access tokens then introspect inactive, RFC 7009 §2.1). */
  public Future<Boolean> isRevoked(UUID familyId) {
    return families.isRevoked(familyId);
  }

  /**
   * Revokes the family of a token (RFC 7009 §2.1: revoking a refresh token ends the whole grant).
   *
   * @return false if there was nothing live to revoke: an unknown, expired or already revoked token
   * @throws OAuthException unauthorized_client (as a failed future) if a live token belongs to another client
   */
  public Future<Boolean> revokeFamily(String token, Client client) {
    if (token.length() > RefreshTokenValues.MAX_LENGTH) {
      return Future.succeededFuture(false);
    }
    Instant now = clock.instant();
    return families.lockFamilyOf(RefreshTokenValues.hash(token), now, locked -> {
      Optional<Family> family = locked.map(LockedFamily::family);
      if (family.isEmpty() || family.get().revoked() || !now.isBefore(family.get().expiresAt())) {
        return Future.succeededFuture(false);
      }
      if (!client.clientId().equals(family.get().clientId())) {
        return Future.failedFuture(TokenRevoker.notYours());
      }
      return locked.get().revoke(now).map(true);
    });
  }

  /** Revokes every live family of a user (an operator's answer to a compromised account). */
  public Future<Integer> revokeAllOf(UUID userId) {
    return families.revokeAllOf(userId, clock.instant());
  }

  private Optional<Instant> idleExpiry(Client client, Instant now, Instant expiresAt) {
    Optional<Duration> idle = client.refreshTokenIdle()
      .or(() -> Optional.of(defaults.refreshTokenIdleTimeout()).filter(timeout -> !timeout.isZero()));
    return idle.map(timeout -> now.plus(timeout))
      .map(at -> at.isBefore(expiresAt) ? at : expiresAt);
  }

  private static Future<Rotation> refused(RefreshOutcome outcome) {
    return Future.succeededFuture(new Refused(outcome));
  }
}
