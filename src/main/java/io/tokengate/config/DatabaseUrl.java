package io.tokengate.config;

import io.vertx.pgclient.PgConnectOptions;

import java.net.URI;

/** A PostgreSQL connection URL; {@link #toString()} never shows its password. */
public record DatabaseUrl(String value) {

  public static DatabaseUrl parse(String value, String source) {
    if (!value.startsWith("postgresql://") && !value.startsWith("postgres://")) {
      throw new ConfigException(source + " must be a URL like postgresql://user@host:5432/database");
    }
    DatabaseUrl url = new DatabaseUrl(value);
    URI uri;
    try {
      uri = URI.create(value);
      PgConnectOptions.fromUri(value);
    } catch (RuntimeException e) {
      throw new ConfigException(source + " is not a valid PostgreSQL URL: " + url);
    }
    if (uri.getRawUserInfo() == null) {
      throw new ConfigException(source + " must name a user: postgresql://user@host:5432/database (got " + url + ")");
    }
    if (uri.getPath() == null || uri.getPath().length() <= 1) {
      throw new ConfigException(source + " must name a database: postgresql://user@host:5432/database (got " + url + ")");
    }
    return url;
  }

  public PgConnectOptions connectOptions() {
    return PgConnectOptions.fromUri(value);
  }

  /** The same server with another database (tests and the demo create databases through it). */
  public DatabaseUrl withDatabase(String database) {
    int query = value.indexOf('?');
    String base = query < 0 ? value : value.substring(0, query);
    String params = query < 0 ? "" : value.substring(query);
    int slash = base.indexOf('/', base.indexOf("//") + 2);
    String server = slash < 0 ? base : base.substring(0, slash);
    return new DatabaseUrl(server + "/" + database + params);
  }

  public String database() {
    return connectOptions().getDatabase();
  }

  public String host() {
    return connectOptions().getHost();
  }

  public int port() {
    return connectOptions().getPort();
  }

  /** The URL with any password masked: in the user part and in {@code password}/{@code sslpassword} parameters. */
  @Override
  public String toString() {
    return Redaction.url(value);
  }
}
