package io.tokengate.token;

import io.tokengate.client.Client;
import io.tokengate.config.Config;
import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.tokengate.store.PipelinedTransaction;
import io.tokengate.user.UserProfile;
import io.tokengate.user.UsernameDigests;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import static io.tokengate.token.RefreshTokenValues.timestamp;

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

  private static final String START_FAMILY = """
      WITH family AS (
        INSERT INTO refresh_token_families (family_id, client_id, user_id, scopes, created_at, expires_at, dpop_jkt,
                                            resources, auth_time, amr)
        VALUES ($1, $2, $3, $4, $5, $6, $9, $10, $11, $12))
      INSERT INTO refresh_tokens (token_hash, family_id, state, issued_at, idle_expires_at)
      VALUES ($7, $1, 'active', $5, $8)""";
  /** The family of a token, locked, with what decides whether its tokens may still be used. */
  private static final String LOCK_FAMILY = """
      SELECT f.family_id, f.client_id, f.user_id, f.scopes, f.expires_at, f.revoked_at, f.dpop_jkt,
             f.resources, f.auth_time, f.created_at, f.amr, u.attributes, u.groups,
             u.enabled AS user_enabled,
             EXISTS (SELECT 1 FROM login_failures l
                     WHERE l.username_hash = %s AND l.locked_until > $2)
               AS user_locked,
             c.enabled AND 'refresh_token' = ANY (c.grant_types) AS client_allowed
      FROM refresh_token_families f
        JOIN users u ON u.id = f.user_id
        JOIN clients c ON c.client_id = f.client_id
      WHERE f.family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)
      FOR UPDATE OF f""".formatted(UsernameDigests.sql("$3", "$4", "u.username"));
  /** Read after the family lock is held, so that it sees what the previous holder committed. */
  private static final String TOKEN = """
      SELECT state, idle_expires_at, rotated_at, successor_hash, successor_sealed, grace_used
      FROM refresh_tokens WHERE token_hash = $1""";
  private static final String ROTATE = """
      WITH retired AS (
        UPDATE refresh_tokens SET state = 'rotated', rotated_at = $3, successor_hash = $4, successor_sealed = $5
        WHERE token_hash = $1)
      INSERT INTO refresh_tokens (token_hash, family_id, state, issued_at, idle_expires_at)
      VALUES ($4, $2, 'active', $3, $6)""";

  private final Pool pool;
  private final Clock clock;
  private final Config.Tokens defaults;

  /** The pads of users.username_key: a locked user's refresh tokens stop working (the lockout key, in SQL). */
  private final Buffer innerPad;
  private final Buffer outerPad;

  public RefreshTokens(Pool pool, Clock clock, Config.Tokens defaults, UsernameDigests usernames) {
    this.innerPad = Buffer.buffer(usernames.innerPad());
    this.outerPad = Buffer.buffer(usernames.outerPad());
    this.pool = pool;
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
    return pool.preparedQuery(START_FAMILY)
      .execute(Tuple.of(familyId, client.clientId(), userId, scopes.toArray(String[]::new), timestamp(now),
        timestamp(expiresAt), RefreshTokenValues.hash(token), idleExpiry(client, now, expiresAt),
        dpopKey.orElse(null), resources.toArray(String[]::new), timestamp(authentication.authTime()),
        authentication.amr().toArray(String[]::new)))
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
    return PipelinedTransaction.run(pool, connection -> {
      Future<RowSet<Row>> families = connection.preparedQuery(LOCK_FAMILY)
        .execute(Tuple.of(hash, timestamp(now), innerPad, outerPad));
      // Sent without waiting for the lock: PostgreSQL runs it once the lock is held, with a snapshot of its own.
      Future<RowSet<Row>> tokens = connection.preparedQuery(TOKEN).execute(Tuple.of(hash));
      // No token row while its family is found: the purger removed it in between.
      return Future.all(families, tokens).compose(both -> families.result().size() == 0 || tokens.result().size() == 0
        ? refused(RefreshOutcome.UNKNOWN)
        : decide(connection, token, hash, families.result().iterator().next(), tokens.result().iterator().next(),
          client, requestedScopes, dpopKey, narrowing));
    });
  }

  private Future<Rotation> decide(SqlConnection connection, String token, byte[] hash, Row family, Row current,
                                  Client client, Optional<Set<String>> requestedScopes,
                                  Optional<String> dpopKey, Narrowing narrowing) {
    Instant now = clock.instant();
    UUID familyId = family.getUUID("family_id");
    if (!client.clientId().equals(family.getString("client_id"))) {
      return refused(RefreshOutcome.WRONG_CLIENT);
    }
    // Before reuse detection: someone without the key must not be able to revoke the session by replaying.
    String boundKey = family.getString("dpop_jkt");
    if (boundKey != null && !dpopKey.filter(boundKey::equals).isPresent()) {
      return refused(RefreshOutcome.DPOP_KEY_MISMATCH);
    }
    if (family.getOffsetDateTime("revoked_at") != null) {
      return refused(RefreshOutcome.REVOKED);
    }
    if (!now.isBefore(family.getOffsetDateTime("expires_at").toInstant())) {
      return refused(RefreshOutcome.EXPIRED);
    }
    // A retired token is judged before its idle expiry: a replay is a replay however long it waited.
    if (current.getString("state").equals("rotated")) {
      return graceSuccessor(connection, token, current, now).compose(successor -> successor.isPresent()
        ? honour(family, requestedScopes, narrowing, RefreshOutcome.GRACE, successor.get(), () -> connection
          .preparedQuery("UPDATE refresh_tokens SET grace_used = true WHERE token_hash = $1").execute(Tuple.of(hash)))
        : revoke(connection, familyId, now).map(new Refused(RefreshOutcome.REUSE_DETECTED)));
    }
    OffsetDateTime idle = current.getOffsetDateTime("idle_expires_at");
    if (idle != null && !now.isBefore(idle.toInstant())) {
      return refused(RefreshOutcome.EXPIRED);
    }
    String successor = RefreshTokenValues.generate();
    byte[] sealed = defaults.refreshTokenReuseGrace().isZero() ? null : RefreshTokenValues.seal(token, successor);
    Instant expiresAt = family.getOffsetDateTime("expires_at").toInstant();
    return honour(family, requestedScopes, narrowing, RefreshOutcome.ROTATED, successor, () -> connection.preparedQuery(ROTATE)
      .execute(Tuple.of(hash, familyId, timestamp(now), RefreshTokenValues.hash(successor), sealed,
        idleExpiry(client, now, expiresAt))));
  }

  /**
   * The checks every honoured token passes, then its write: the client must still be allowed refresh tokens, the
   * user enabled, and a requested scope may narrow the family's, never widen it (invalid_scope, nothing written).
   */
  private static Future<Rotation> honour(Row family, Optional<Set<String>> requestedScopes, Narrowing narrowing,
                                         RefreshOutcome outcome, String newToken, Supplier<Future<?>> write) {
    if (!family.getBoolean("client_allowed")) {
      return refused(RefreshOutcome.CLIENT_DISABLED);
    }
    if (!family.getBoolean("user_enabled")) {
      return refused(RefreshOutcome.USER_DISABLED);
    }
    if (family.getBoolean("user_locked")) {
      return refused(RefreshOutcome.USER_LOCKED);
    }
    Set<String> tokenScopes = new LinkedHashSet<>(List.of(family.getArrayOfStrings("scopes")));
    Set<String> granted = requestedScopes.filter(requested -> !requested.isEmpty()).orElse(tokenScopes);
    if (!tokenScopes.containsAll(granted)) {
      return Future.failedFuture(OAuthException.of(OAuthError.INVALID_SCOPE,
        "the requested scope exceeds the scope of the refresh token"));
    }
    JsonObject attributes = family.getJsonObject("attributes");
    UserProfile user = new UserProfile(UserProfile.attributesOf(attributes == null ? new JsonObject() : attributes),
      new LinkedHashSet<>(List.of(family.getArrayOfStrings("groups"))));
    List<String> resources = List.of(family.getArrayOfStrings("resources"));
    Set<String> narrowed;
    try {
      narrowed = narrowing.decide(granted, user, resources);
    } catch (OAuthException e) {
      return Future.failedFuture(e);
    }
    OffsetDateTime authTime = family.getOffsetDateTime("auth_time");
    String[] amr = family.getArrayOfStrings("amr");
    IdTokenIssuer.Authentication authentication = new IdTokenIssuer.Authentication(
      (authTime == null ? family.getOffsetDateTime("created_at") : authTime).toInstant(),
      amr.length == 0 ? List.of("pwd") : List.of(amr));
    return write.get().map(written -> new Rotated(outcome, family.getUUID("family_id"), family.getUUID("user_id"),
      narrowed, tokenScopes, newToken, user, resources, authentication));
  }

  /**
   * Inside the reuse grace window, the token rotated away last may be presented once more, and gets the very
   * successor it was rotated into — provided that successor is still the family's live token.
   */
  private Future<Optional<String>> graceSuccessor(SqlConnection connection, String token, Row current, Instant now) {
    Duration grace = defaults.refreshTokenReuseGrace();
    if (grace.isZero() || current.getBoolean("grace_used")
      || !now.isBefore(current.getOffsetDateTime("rotated_at").toInstant().plus(grace))) {
      return Future.succeededFuture(Optional.empty());
    }
    Optional<String> successor = RefreshTokenValues.unseal(token, current.getBuffer("successor_sealed") == null
      ? null : current.getBuffer("successor_sealed").getBytes());
    if (successor.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    return connection.preparedQuery("SELECT state FROM refresh_tokens WHERE token_hash = $1")
      .execute(Tuple.of(current.getBuffer("successor_hash")))
      .map(rows -> rows.size() == 1 && "active".equals(rows.iterator().next().getString("state"))
        ? successor : Optional.empty());
  }

  /** @return the token if it is active and usable now; empty for anything else */
  public Future<Optional<Live>> describe(String token) {
    if (token.length() > RefreshTokenValues.MAX_LENGTH) {
      return Future.succeededFuture(Optional.empty());
    }
    return pool.preparedQuery("""
        SELECT f.client_id, f.user_id, u.username, f.scopes, t.issued_at, f.expires_at, t.idle_expires_at
        FROM refresh_tokens t
          JOIN refresh_token_families f ON f.family_id = t.family_id
          JOIN users u ON u.id = f.user_id
          JOIN clients c ON c.client_id = f.client_id
        WHERE t.token_hash = $1 AND t.state = 'active' AND f.revoked_at IS NULL AND u.enabled AND c.enabled
          AND 'refresh_token' = ANY (c.grant_types)
          AND NOT EXISTS (SELECT 1 FROM login_failures l
                          WHERE l.username_hash = %s AND l.locked_until > $2)"""
        .formatted(UsernameDigests.sql("$3", "$4", "u.username")))
      .execute(Tuple.of(RefreshTokenValues.hash(token), timestamp(clock.instant()), innerPad, outerPad))
      .map(rows -> {
        if (rows.size() == 0) {
          return Optional.empty();
        }
        Row row = rows.iterator().next();
        Instant expiresAt = row.getOffsetDateTime("expires_at").toInstant();
        OffsetDateTime idle = row.getOffsetDateTime("idle_expires_at");
        if (idle != null && idle.toInstant().isBefore(expiresAt)) {
          expiresAt = idle.toInstant();
        }
        if (!clock.instant().isBefore(expiresAt)) {
          return Optional.empty();
        }
        return Optional.of(new Live(row.getString("client_id"), row.getUUID("user_id"), row.getString("username"),
          new LinkedHashSet<>(List.of(row.getArrayOfStrings("scopes"))),
          row.getOffsetDateTime("issued_at").toInstant(), expiresAt));
      });
  }

  /** Whether a family was revoked (its access tokens then introspect inactive, RFC 7009 §2.1). */
  public Future<Boolean> isRevoked(UUID familyId) {
    return pool.preparedQuery("SELECT revoked_at IS NOT NULL FROM refresh_token_families WHERE family_id = $1")
      .execute(Tuple.of(familyId))
      .map(rows -> rows.size() == 1 && rows.iterator().next().getBoolean(0));
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
    return PipelinedTransaction.run(pool, connection -> connection.preparedQuery(LOCK_FAMILY)
      .execute(Tuple.of(RefreshTokenValues.hash(token), timestamp(now), innerPad, outerPad))
      .compose(rows -> {
        Row family = rows.size() == 0 ? null : rows.iterator().next();
        if (family == null || family.getOffsetDateTime("revoked_at") != null
          || !now.isBefore(family.getOffsetDateTime("expires_at").toInstant())) {
          return Future.succeededFuture(false);
        }
        if (!client.clientId().equals(family.getString("client_id"))) {
          return Future.failedFuture(TokenRevoker.notYours());
        }
        return revoke(connection, family.getUUID("family_id"), now).map(true);
      }));
  }

  /** Revokes every live family of a user (an operator's answer to a compromised account). */
  public Future<Integer> revokeAllOf(UUID userId) {
    Instant now = clock.instant();
    // Locked in family_id order, so that two of these cannot deadlock each other.
    return pool.preparedQuery("""
        UPDATE refresh_token_families SET revoked_at = $2
        WHERE family_id IN (
          SELECT family_id FROM refresh_token_families
          WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2
          ORDER BY family_id FOR UPDATE)""")
      .execute(Tuple.of(userId, timestamp(now)))
      .map(rows -> rows.rowCount());
  }

  private static Future<Void> revoke(SqlConnection connection, UUID familyId, Instant now) {
    return connection.preparedQuery("UPDATE refresh_token_families SET revoked_at = $2 WHERE family_id = $1")
      .execute(Tuple.of(familyId, timestamp(now)))
      .mapEmpty();
  }

  private OffsetDateTime idleExpiry(Client client, Instant now, Instant expiresAt) {
    Optional<Duration> idle = client.refreshTokenIdle()
      .or(() -> Optional.of(defaults.refreshTokenIdleTimeout()).filter(timeout -> !timeout.isZero()));
    return idle.map(timeout -> now.plus(timeout))
      .map(at -> timestamp(at.isBefore(expiresAt) ? at : expiresAt))
      .orElse(null);
  }

  private static Future<Rotation> refused(RefreshOutcome outcome) {
    return Future.succeededFuture(new Refused(outcome));
  }
}
