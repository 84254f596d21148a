package io.tokengate.store;

import io.tokengate.user.ImportLine;
import io.tokengate.user.User;
import io.tokengate.user.UserProfile;
import io.tokengate.user.UserRecords;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Users in PostgreSQL, looked up by normalized username. */
public final class UserStore implements UserRecords {

  private static final String COLUMNS =
    "id, username, password_hash, enabled, totp_secret_sealed, source, external_id, attributes, groups";
  /**
   * Exactly one row whether the user, the failures, both or neither exist: both joins are on unique keys of a
   * one-row VALUES. The user's columns are NULL when there is no such user, the failures' when there are none.
   */
  private final Pool pool;

  public UserStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Optional<User>> findByUsername(String normalizedUsername) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE username = $1")
      .execute(Tuple.of(normalizedUsername))
      .map(UserStore::first);
  }

  public Future<Optional<User>> findById(UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE id = $1")
      .execute(Tuple.of(id))
      .map(UserStore::first);
  }

  /** @return false if there is no such user */
  @Override
  public Future<Boolean> disable(String normalizedUsername) {
    return setEnabled(normalizedUsername, false);
  }

  /** @return false if there is no such user */
  @Override
  public Future<Boolean> enable(String normalizedUsername) {
    return setEnabled(normalizedUsername, true);
  }

  private Future<Boolean> setEnabled(String normalizedUsername, boolean enabled) {
    return pool.preparedQuery("UPDATE users SET enabled = $2, updated_at = now() WHERE username = $1")
      .execute(Tuple.of(normalizedUsername, enabled))
      .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Deletes a user with its sessions (refresh-token families and their tokens: ON DELETE CASCADE); its access
   * tokens then introspect inactive, as introspection asks for the user.
   *
   * @return the deleted user, or empty if there is none
   */
  @Override
  public Future<Optional<User>> delete(String normalizedUsername) {
    return pool.preparedQuery("DELETE FROM users WHERE username = $1 RETURNING " + COLUMNS)
      .execute(Tuple.of(normalizedUsername))
      .map(UserStore::first);
  }

  /** Users whose username starts with {@code prefix}, in username order, at most {@code limit}. */
  @Override
  public Future<List<User>> list(String prefix, int limit) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE starts_with(username, $1) "
        + "ORDER BY username LIMIT $2")
      .execute(Tuple.of(prefix, limit))
      .map(rows -> {
        List<User> users = new java.util.ArrayList<>();
        rows.forEach(row -> users.add(user(row)));
        return users;
      });
  }

  /** @return the new user, or empty if the username is taken */
  @Override
  public Future<Optional<User>> insert(String normalizedUsername, String passwordHash) {
    return pool.preparedQuery("""
        INSERT INTO users (username, password_hash) VALUES ($1, $2)
        ON CONFLICT (username) DO NOTHING RETURNING\s""" + COLUMNS)
      .execute(Tuple.of(normalizedUsername, passwordHash))
      .map(UserStore::first);
  }

  /**
   * Accepts a TOTP time step once: only if it is later than the last one accepted, so that a code cannot be used
   * twice, even by two replicas at the same moment.
   *
   * @return false for a replay
   */
  @Override
  public Future<Boolean> acceptTotpStep(UUID userId, long step) {
    return pool.preparedQuery("""
        UPDATE users SET totp_last_step = $2
        WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)""")
      .execute(Tuple.of(userId, step))
      .map(rows -> rows.rowCount() == 1);
  }

  /** Enrolls (or replaces) a user's TOTP secret; codes of an earlier secret stop working. */
  @Override
  public Future<Boolean> setTotpSecret(UUID userId, byte[] sealed) {
    return pool.preparedQuery("""
        UPDATE users SET totp_secret_sealed = $2, totp_last_step = NULL, updated_at = now() WHERE id = $1""")
      .execute(Tuple.of(userId, sealed == null ? null : Buffer.buffer(sealed)))
      .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Replaces a hash that verified with a stronger one, unless it changed meanwhile (an operator set a new password
   * between the login and now).
   */
  @Override
  public Future<Boolean> replaceHash(UUID userId, String verifiedHash, String newHash) {
    return pool.preparedQuery("""
        UPDATE users SET password_hash = $3, updated_at = now() WHERE id = $1 AND password_hash = $2""")
      .execute(Tuple.of(userId, verifiedHash, newHash))
      .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Inserts imported users; a username that exists already is left as it is (so that an import can be run again,
   * and never undoes a password changed or rehashed since).
   *
   * @return how many were new
   */
  @Override
  public Future<Integer> importUsers(List<ImportLine> lines) {
    return pool.preparedQuery("""
        INSERT INTO users (username, password_hash, attributes, enabled, groups)
        SELECT u.username, u.hash, u.attributes, u.enabled, COALESCE(
            (SELECT array_agg(g) FROM jsonb_array_elements_text(u.groups) g), '{}')
        FROM unnest($1::text[], $2::text[], $3::text[]::jsonb[], $4::boolean[], $5::text[]::jsonb[])
          AS u(username, hash, attributes, enabled, groups)
        ON CONFLICT (username) DO NOTHING""")
      .execute(Tuple.of(
        lines.stream().map(ImportLine::username).toArray(String[]::new),
        lines.stream().map(ImportLine::passwordHash).toArray(String[]::new),
        lines.stream().map(line -> line.attributes().encode()).toArray(String[]::new),
        lines.stream().map(ImportLine::enabled).toArray(Boolean[]::new),
        lines.stream().map(line -> new JsonArray(List.copyOf(line.groups())).encode()).toArray(String[]::new)))
      .map(rows -> rows.rowCount());
  }

  /** Replaces a user's attributes and groups (the operator's {@code user set}). */
  @Override
  public Future<Boolean> setProfile(UUID userId, UserProfile profile) {
    return pool.preparedQuery("UPDATE users SET attributes = $2, groups = $3, updated_at = now() WHERE id = $1")
      .execute(Tuple.of(userId, profile.attributesJson(), profile.groups().toArray(String[]::new)))
      .map(rows -> rows.rowCount() == 1);
  }

  /** Replaces a user's password (the demo seeding re-uses its user). */
  @Override
  public Future<Boolean> updatePassword(String normalizedUsername, String passwordHash) {
    return pool.preparedQuery("UPDATE users SET password_hash = $2, updated_at = now() WHERE username = $1")
      .execute(Tuple.of(normalizedUsername, passwordHash))
      .map(rows -> rows.rowCount() == 1);
  }

  private static Optional<User> first(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    return Optional.of(user(rows.iterator().next()));
  }

  /** A row with {@link #COLUMNS}. */
  private static User user(Row row) {
    UserProfile profile = profile(row);
    return new User(row.getUUID("id"), row.getString("username"), row.getString("password_hash"),
      row.getBoolean("enabled"), Optional.ofNullable(row.getBuffer("totp_secret_sealed")).map(Buffer::getBytes),
      row.getString("source"), Optional.ofNullable(row.getString("external_id")), profile);
  }

  /** A user's profile from a row with its {@code attributes} and {@code groups} columns (of users, or a join). */
  static UserProfile profile(Row row) {
    JsonObject attributes = row.getJsonObject("attributes");
    String[] groups = row.getArrayOfStrings("groups");
    return new UserProfile(UserProfile.attributesOf(attributes == null ? new JsonObject() : attributes),
      groups == null ? Set.of() : Set.of(groups));
  }
}
