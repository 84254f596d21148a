package io.tokengate.token;

import io.tokengate.client.Client;
import io.tokengate.config.Config;
import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
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
 * Refresh-token families with rotation and reuse detection (RFC 6749 §6, RFC 9700 §4.14.2). Every decision about a
 * presented token is one transaction holding that token's row lock, so two requests with the same token cannot
 * both succeed, and a replica that sees a retired token revokes the family on every replica at once.
 */
public final class RefreshTokens {

  /** The result of presenting a refresh token. */
  public sealed interface Rotation permits Rotated, Refused {
  }

  /**
   * @param granted     the scopes of the new access token (the token's own, or fewer if the client asked)
   * @param tokenScopes the scopes of the family, which a new refresh token keeps (RFC 6749 §6)
   * @param newToken    the successor, empty when an old token was honoured inside the grace window
   */
  public record Rotated(RefreshOutcome outcome, UUID userId, Set<String> granted, Set<String> tokenScopes,
                        Optional<String> newToken) implements Rotation {
  }

  public record Refused(RefreshOutcome outcome) implements Rotation {
  }

  private static final String SELECT_FOR_UPDATE = """
      SELECT rt.family_id, rt.client_id, rt.user_id, rt.scopes, rt.state, rt.expires_at, rt.idle_expires_at,
             rt.rotated_at, rt.grace_used, u.enabled AS user_enabled
      FROM refresh_tokens rt JOIN users u ON u.id = rt.user_id
      WHERE rt.token_hash = $1
      FOR UPDATE OF rt""";
  private static final String INSERT = """
      INSERT INTO refresh_tokens (token_hash, family_id, previous_hash, client_id, user_id, scopes, state, issued_at,
                                  expires_at, idle_expires_at)
      VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $8, $9)""";

  private final Pool pool;
  private final Clock clock;
  private final Config.Tokens defaults;

  public RefreshTokens(Pool pool, Clock clock, Config.Tokens defaults) {
    this.pool = pool;
    this.clock = clock;
    this.defaults = defaults;
  }

  /** Starts a family for a password grant; returns the token, which is never stored. */
  public Future<String> startFamily(Client client, UUID userId, Set<String> scopes) {
    String token = RefreshTokenValues.generate();
    Instant now = clock.instant();
    Instant expiresAt = now.plus(client.refreshTokenTtl().orElse(defaults.refreshTokenLifetime()));
    return pool.preparedQuery(INSERT)
      .execute(Tuple.of(RefreshTokenValues.hash(token), UUID.randomUUID(), null, client.clientId(), userId,
        scopes.toArray(String[]::new), timestamp(now), timestamp(expiresAt), idleExpiry(client, now, expiresAt)))
      .map(token);
  }

  /**
   * Presents a refresh token for a client: rotates it, or refuses it (revoking its family when a retired token is
   * replayed). A scope wider than the token's fails with invalid_scope and changes nothing.
   */
  public Future<Rotation> rotate(String token, Client client, Optional<Set<String>> requestedScopes) {
    if (token.length() > RefreshTokenValues.MAX_LENGTH) {
      return Future.succeededFuture(new Refused(RefreshOutcome.UNKNOWN));
    }
    byte[] hash = RefreshTokenValues.hash(token);
    return pool.withTransaction(connection -> connection.preparedQuery(SELECT_FOR_UPDATE).execute(Tuple.of(hash))
      .compose(rows -> rows.size() == 0
        ? refused(RefreshOutcome.UNKNOWN)
        : decide(connection, hash, rows.iterator().next(), client, requestedScopes)));
  }

  private Future<Rotation> decide(SqlConnection connection, byte[] hash, Row row, Client client,
                                  Optional<Set<String>> requestedScopes) {
    Instant now = clock.instant();
    if (!client.clientId().equals(row.getString("client_id"))) {
      return refused(RefreshOutcome.WRONG_CLIENT);
    }
    String state = row.getString("state");
    if (state.equals("revoked")) {
      return refused(RefreshOutcome.REVOKED);
    }
    if (isExpired(row, now)) {
      return refused(RefreshOutcome.EXPIRED);
    }
    if (state.equals("rotated")) {
      return withinGrace(connection, hash, row, now).compose(grace -> grace
        ? honour(row, requestedScopes, RefreshOutcome.GRACE, Optional.empty(), () -> connection
          .preparedQuery("UPDATE refresh_tokens SET grace_used = true WHERE token_hash = $1").execute(Tuple.of(hash)))
        : revokeFamily(connection, row.getUUID("family_id")).map(new Refused(RefreshOutcome.REUSE_DETECTED)));
    }
    String successor = RefreshTokenValues.generate();
    Instant expiresAt = row.getOffsetDateTime("expires_at").toInstant();
    return honour(row, requestedScopes, RefreshOutcome.ROTATED, Optional.of(successor), () -> connection
      .preparedQuery(INSERT)
      .execute(Tuple.of(RefreshTokenValues.hash(successor), row.getUUID("family_id"), hash, client.clientId(),
        row.getUUID("user_id"), row.getArrayOfStrings("scopes"), timestamp(now), timestamp(expiresAt),
        idleExpiry(client, now, expiresAt)))
      .compose(inserted -> connection
        .preparedQuery("UPDATE refresh_tokens SET state = 'rotated', rotated_at = $2 WHERE token_hash = $1")
        .execute(Tuple.of(hash, timestamp(now)))));
  }

  /**
   * The checks every honoured token passes, then its write: the user must still be enabled, and a requested scope
   * may narrow the token's, never widen it (invalid_scope, with nothing written).
   */
  private static Future<Rotation> honour(Row row, Optional<Set<String>> requestedScopes, RefreshOutcome outcome,
                                         Optional<String> newToken, Supplier<Future<?>> write) {
    if (!row.getBoolean("user_enabled")) {
      return refused(RefreshOutcome.USER_DISABLED);
    }
    Set<String> tokenScopes = new LinkedHashSet<>(List.of(row.getArrayOfStrings("scopes")));
    Set<String> granted = requestedScopes.filter(requested -> !requested.isEmpty()).orElse(tokenScopes);
    if (!tokenScopes.containsAll(granted)) {
      return Future.failedFuture(OAuthException.of(OAuthError.INVALID_SCOPE,
        "the requested scope exceeds the scope of the refresh token"));
    }
    UUID userId = row.getUUID("user_id");
    return write.get().map(written -> new Rotated(outcome, userId, granted, tokenScopes, newToken));
  }

  /** A live refresh token, as introspection reports it. */
  public record Live(String clientId, UUID userId, String username, Set<String> scopes, Instant issuedAt,
                     Instant expiresAt) {
  }

  /** @return the token if it is active, unexpired and its user enabled; empty for anything else */
  public Future<Optional<Live>> describe(String token) {
    if (token.length() > RefreshTokenValues.MAX_LENGTH) {
      return Future.succeededFuture(Optional.empty());
    }
    return pool.preparedQuery("""
        SELECT rt.client_id, rt.user_id, u.username, rt.scopes, rt.issued_at, rt.expires_at, rt.idle_expires_at
        FROM refresh_tokens rt JOIN users u ON u.id = rt.user_id
        WHERE rt.token_hash = $1 AND rt.state = 'active' AND u.enabled""")
      .execute(Tuple.of(RefreshTokenValues.hash(token)))
      .map(rows -> {
        Instant now = clock.instant();
        if (rows.size() == 0 || isExpired(rows.iterator().next(), now)) {
          return Optional.empty();
        }
        Row row = rows.iterator().next();
        OffsetDateTime idle = row.getOffsetDateTime("idle_expires_at");
        Instant expiresAt = min(row.getOffsetDateTime("expires_at").toInstant(),
          idle == null ? Instant.MAX : idle.toInstant());
        return Optional.of(new Live(row.getString("client_id"), row.getUUID("user_id"), row.getString("username"),
          new LinkedHashSet<>(List.of(row.getArrayOfStrings("scopes"))),
          row.getOffsetDateTime("issued_at").toInstant(), expiresAt));
      });
  }

  /**
   * Revokes the family of a token (RFC 7009 §2.1: revoking a refresh token ends the whole grant).
   *
   * @return false if no such token exists
   * @throws OAuthException unauthorized_client (as a failed future) if the token belongs to another client
   */
  public Future<Boolean> revokeFamily(String token, Client client) {
    if (token.length() > RefreshTokenValues.MAX_LENGTH) {
      return Future.succeededFuture(false);
    }
    return pool.withTransaction(connection -> connection
      .preparedQuery("SELECT family_id, client_id FROM refresh_tokens WHERE token_hash = $1")
      .execute(Tuple.of(RefreshTokenValues.hash(token)))
      .compose(rows -> {
        if (rows.size() == 0) {
          return Future.succeededFuture(false);
        }
        Row row = rows.iterator().next();
        if (!client.clientId().equals(row.getString("client_id"))) {
          return Future.failedFuture(TokenRevoker.notYours());
        }
        return revokeFamily(connection, row.getUUID("family_id")).map(true);
      }));
  }

  /** Revokes every refresh token of a user (an operator's answer to a compromised account). */
  public Future<Integer> revokeAllOf(UUID userId) {
    return pool.preparedQuery("UPDATE refresh_tokens SET state = 'revoked' WHERE user_id = $1 AND state = 'active'")
      .execute(Tuple.of(userId))
      .map(rows -> rows.rowCount());
  }

  /** Only the token rotated away last, only inside the window, only once, and only while its successor lives. */
  private Future<Boolean> withinGrace(SqlConnection connection, byte[] hash, Row row, Instant now) {
    Duration grace = defaults.refreshTokenReuseGrace();
    if (grace.isZero() || row.getBoolean("grace_used")
      || !now.isBefore(row.getOffsetDateTime("rotated_at").toInstant().plus(grace))) {
      return Future.succeededFuture(false);
    }
    // A statement of its own: it must see a successor committed while this transaction waited for the row lock.
    return connection.preparedQuery("SELECT state FROM refresh_tokens WHERE previous_hash = $1")
      .execute(Tuple.of(hash))
      .map(rows -> rows.size() == 1 && "active".equals(rows.iterator().next().getString("state")));
  }

  private static Future<Void> revokeFamily(SqlConnection connection, UUID familyId) {
    return connection.preparedQuery("UPDATE refresh_tokens SET state = 'revoked' WHERE family_id = $1 AND state <> 'revoked'")
      .execute(Tuple.of(familyId))
      .mapEmpty();
  }

  private static boolean isExpired(Row row, Instant now) {
    if (!now.isBefore(row.getOffsetDateTime("expires_at").toInstant())) {
      return true;
    }
    OffsetDateTime idle = row.getOffsetDateTime("idle_expires_at");
    return idle != null && !now.isBefore(idle.toInstant());
  }

  private OffsetDateTime idleExpiry(Client client, Instant now, Instant expiresAt) {
    Optional<Duration> idle = client.refreshTokenIdle()
      .or(() -> Optional.of(defaults.refreshTokenIdleTimeout()).filter(timeout -> !timeout.isZero()));
    return idle.map(timeout -> timestamp(min(now.plus(timeout), expiresAt))).orElse(null);
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static Future<Rotation> refused(RefreshOutcome outcome) {
    return Future.succeededFuture(new Refused(outcome));
  }
}
