package io.tokengate.user;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.Optional;
import java.util.UUID;

/** Users in PostgreSQL, looked up by normalized username. */
public final class UserStore {

  private final Pool pool;

  public UserStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<User>> findByUsername(String normalizedUsername) {
    return pool.preparedQuery("SELECT id, username, password_hash, enabled FROM users WHERE username = $1")
      .execute(Tuple.of(normalizedUsername))
      .map(UserStore::first);
  }

  public Future<Optional<User>> findById(UUID id) {
    return pool.preparedQuery("SELECT id, username, password_hash, enabled FROM users WHERE id = $1")
      .execute(Tuple.of(id))
      .map(UserStore::first);
  }

  /** @return false if there is no such user */
  public Future<Boolean> disable(String normalizedUsername) {
    return pool.preparedQuery("UPDATE users SET enabled = false, updated_at = now() WHERE username = $1")
      .execute(Tuple.of(normalizedUsername))
      .map(rows -> rows.rowCount() == 1);
  }

  /** @return the new user, or empty if the username is taken */
  public Future<Optional<User>> insert(String normalizedUsername, String passwordHash) {
    return pool.preparedQuery("""
        INSERT INTO users (username, password_hash) VALUES ($1, $2)
        ON CONFLICT (username) DO NOTHING
        RETURNING id, username, password_hash, enabled""")
      .execute(Tuple.of(normalizedUsername, passwordHash))
      .map(UserStore::first);
  }

  /** Replaces a user's password (the demo seeding re-uses its user). */
  public Future<Boolean> updatePassword(String normalizedUsername, String passwordHash) {
    return pool.preparedQuery("UPDATE users SET password_hash = $2, updated_at = now() WHERE username = $1")
      .execute(Tuple.of(normalizedUsername, passwordHash))
      .map(rows -> rows.rowCount() == 1);
  }

  private static Optional<User> first(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row row = rows.iterator().next();
    return Optional.of(new User(row.getUUID("id"), row.getString("username"), row.getString("password_hash"),
      row.getBoolean("enabled")));
  }
}
