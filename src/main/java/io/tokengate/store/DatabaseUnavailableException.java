package io.tokengate.store;

import io.tokengate.config.DatabaseUrl;
import io.vertx.pgclient.PgException;

/** The database could not be used at start-up; the message says why and what to do, in one line. */
public final class DatabaseUnavailableException extends RuntimeException {

  private DatabaseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public static DatabaseUnavailableException describe(DatabaseUrl url, Throwable cause) {
    String hint = "point TOKENGATE_DATABASE_URL at one, e.g. postgresql://user@host:5432/tokengate";
    if (cause instanceof PgException pg) {
      String state = pg.getSqlState() == null ? "" : pg.getSqlState();
      if (state.equals("3D000")) {
        return new DatabaseUnavailableException("database '" + url.database() + "' does not exist at " + url
          + ": create it (createdb " + url.database() + ") or " + hint, cause);
      }
      if (state.startsWith("28")) {
        return new DatabaseUnavailableException("PostgreSQL at " + url + " refused the credentials ("
          + pg.getErrorMessage() + "): fix the user or password in the URL or " + hint, cause);
      }
      return new DatabaseUnavailableException("PostgreSQL at " + url + " failed: " + pg.getErrorMessage(), cause);
    }
    String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new DatabaseUnavailableException("cannot reach PostgreSQL at " + url + " (" + reason + "): start it or "
      + hint, cause);
  }
}
