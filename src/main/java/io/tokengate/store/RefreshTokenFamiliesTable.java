package io.tokengate.store;

import io.tokengate.token.RefreshTokenFamilies;
import io.tokengate.user.UsernameDigests;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Refresh-token families in PostgreSQL ({@code refresh_token_families}, {@code refresh_tokens}). Every statement of
 * the refresh path is here. A presented token costs one pipelined flight (BEGIN, the family lock with its user,
 * lockout and client, and the token row), then the writes the policy asks for, then COMMIT.
 */
public final class RefreshTokenFamiliesTable implements RefreshTokenFamilies {

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
             f.resources, coalesce(f.auth_time, f.created_at) AS auth_time, f.amr, u.attributes, u.groups,
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
  private static final String SPEND_GRACE = "UPDATE refresh_tokens SET grace_used = true WHERE token_hash = $1";
  private static final String TOKEN_STATE = "SELECT state FROM refresh_tokens WHERE token_hash = $1";
  private static final String REVOKE = "UPDATE refresh_token_families SET revoked_at = $2 WHERE family_id = $1";
  private static final String ACTIVE = """
      SELECT f.client_id, f.user_id, u.username, f.scopes, t.issued_at, f.expires_at, t.idle_expires_at
      FROM refresh_tokens t
        JOIN refresh_token_families f ON f.family_id = t.family_id
        JOIN users u ON u.id = f.user_id
        JOIN clients c ON c.client_id = f.client_id
      WHERE t.token_hash = $1 AND t.state = 'active' AND f.revoked_at IS NULL AND u.enabled AND c.enabled
        AND 'refresh_token' = ANY (c.grant_types)
        AND NOT EXISTS (SELECT 1 FROM login_failures l
                        WHERE l.username_hash = %s AND l.locked_until > $2)"""
      .formatted(UsernameDigests.sql("$3", "$4", "u.username"));
  private static final String IS_REVOKED =
      "SELECT revoked_at IS NOT NULL FROM refresh_token_families WHERE family_id = $1";
  /** Locked in family_id order, so that two of these cannot deadlock each other. */
  private static final String REVOKE_ALL_OF = """
      UPDATE refresh_token_families SET revoked_at = $2
      WHERE family_id IN (
        SELECT family_id FROM refresh_token_families
        WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2
        ORDER BY family_id FOR UPDATE)""";

  private final Pool pool;
  /** The pads of users.username_key: a locked user's refresh tokens stop working (the lockout key, in SQL). */
  private final Buffer innerPad;
  private final Buffer outerPad;

  public RefreshTokenFamiliesTable(Pool pool, UsernameDigests usernames) {
    this.pool = pool;
    this.innerPad = Buffer.buffer(usernames.innerPad());
    this.outerPad = Buffer.buffer(usernames.outerPad());
  }

  @Override
  public Future<Void> start(NewFamily family) {
    return pool.preparedQuery(START_FAMILY)
      .execute(Tuple.of(family.familyId(), family.clientId(), family.userId(), family.scopes().toArray(String[]::new),
        timestamp(family.createdAt()), timestamp(family.expiresAt()), family.tokenHash(),
        family.idleExpiresAt().map(RefreshTokenFamiliesTable::timestamp).orElse(null),
        family.dpopKey().orElse(null), family.resources().toArray(String[]::new), timestamp(family.authTime()),
        family.amr().toArray(String[]::new)))
      .mapEmpty();
  }

  @Override
  public <T> Future<T> present(byte[] tokenHash, Instant now, Function<Optional<Presented>, Future<T>> decision) {
    return PipelinedTransaction.run(pool, connection -> {
      Future<RowSet<Row>> families = lockFamily(connection, tokenHash, now);
      // Sent without waiting for the lock: PostgreSQL runs it once the lock is held, with a snapshot of its own.
      Future<RowSet<Row>> tokens = connection.preparedQuery(TOKEN).execute(Tuple.of(tokenHash));
      // No token row while its family is found: the purger removed it in between.
      return Future.all(families, tokens).compose(both -> decision.apply(
        families.result().size() == 0 || tokens.result().size() == 0 ? Optional.empty()
          : Optional.of(new Presented(new Locked(connection, family(families.result().iterator().next())),
            token(tokens.result().iterator().next())))));
    });
  }

  @Override
  public <T> Future<T> lockFamilyOf(byte[] tokenHash, Instant now,
                                    Function<Optional<LockedFamily>, Future<T>> decision) {
    return PipelinedTransaction.run(pool, connection -> lockFamily(connection, tokenHash, now)
      .compose(rows -> decision.apply(rows.size() == 0 ? Optional.empty()
        : Optional.of(new Locked(connection, family(rows.iterator().next()))))));
  }

  @Override
  public Future<Optional<Active>> findActive(byte[] tokenHash, Instant now) {
    return pool.preparedQuery(ACTIVE)
      .execute(Tuple.of(tokenHash, timestamp(now), innerPad, outerPad))
      .map(rows -> {
        if (rows.size() == 0) {
          return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(new Active(row.getString("client_id"), row.getUUID("user_id"), row.getString("username"),
          new LinkedHashSet<>(List.of(row.getArrayOfStrings("scopes"))),
          row.getOffsetDateTime("issued_at").toInstant(), row.getOffsetDateTime("expires_at").toInstant(),
          instant(row, "idle_expires_at")));
      });
  }

  @Override
  public Future<Boolean> isRevoked(UUID familyId) {
    return pool.preparedQuery(IS_REVOKED)
      .execute(Tuple.of(familyId))
      .map(rows -> rows.size() == 1 && rows.iterator().next().getBoolean(0));
  }

  @Override
  public Future<Integer> revokeAllOf(UUID userId, Instant now) {
    return pool.preparedQuery(REVOKE_ALL_OF)
      .execute(Tuple.of(userId, timestamp(now)))
      .map(RowSet::rowCount);
  }

  private Future<RowSet<Row>> lockFamily(SqlConnection connection, byte[] tokenHash, Instant now) {
    return connection.preparedQuery(LOCK_FAMILY).execute(Tuple.of(tokenHash, timestamp(now), innerPad, outerPad));
  }

  /** The writes of a decision, on the connection that holds the family's lock. */
  private record Locked(SqlConnection connection, Family family) implements LockedFamily {

    @Override
    public Future<Void> rotate(byte[] tokenHash, Instant now, byte[] successorHash, Optional<byte[]> successorSealed,
                               Optional<Instant> successorIdleExpiresAt) {
      return connection.preparedQuery(ROTATE)
        .execute(Tuple.of(tokenHash, family.familyId(), timestamp(now), successorHash, successorSealed.orElse(null),
          successorIdleExpiresAt.map(RefreshTokenFamiliesTable::timestamp).orElse(null)))
        .mapEmpty();
    }

    @Override
    public Future<Void> spendGrace(byte[] tokenHash) {
      return connection.preparedQuery(SPEND_GRACE).execute(Tuple.of(tokenHash)).mapEmpty();
    }

    @Override
    public Future<Boolean> isActive(byte[] tokenHash) {
      return connection.preparedQuery(TOKEN_STATE).execute(Tuple.of(tokenHash))
        .map(rows -> rows.size() == 1 && "active".equals(rows.iterator().next().getString("state")));
    }

    @Override
    public Future<Void> revoke(Instant now) {
      return connection.preparedQuery(REVOKE).execute(Tuple.of(family.familyId(), timestamp(now))).mapEmpty();
    }
  }

  private static Family family(Row row) {
    return new Family(row.getUUID("family_id"), row.getString("client_id"), row.getUUID("user_id"),
      List.of(row.getArrayOfStrings("scopes")), row.getOffsetDateTime("expires_at").toInstant(),
      row.getOffsetDateTime("revoked_at") != null, Optional.ofNullable(row.getString("dpop_jkt")),
      row.getBoolean("user_enabled"), row.getBoolean("user_locked"), row.getBoolean("client_allowed"),
      strings(row, "resources"), row.getOffsetDateTime("auth_time").toInstant(), strings(row, "amr"),
      UserStore.profile(row));
  }

  private static List<String> strings(Row row, String column) {
    String[] values = row.getArrayOfStrings(column);
    return values == null ? List.of() : List.of(values);
  }

  private static Token token(Row row) {
    return new Token("rotated".equals(row.getString("state")), instant(row, "idle_expires_at"),
      instant(row, "rotated_at"), bytes(row, "successor_hash"), bytes(row, "successor_sealed"),
      Boolean.TRUE.equals(row.getBoolean("grace_used")));
  }

  private static Optional<byte[]> bytes(Row row, String column) {
    return Optional.ofNullable(row.getBuffer(column)).map(Buffer::getBytes);
  }

  private static Optional<Instant> instant(Row row, String column) {
    return Optional.ofNullable(row.getOffsetDateTime(column)).map(OffsetDateTime::toInstant);
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
