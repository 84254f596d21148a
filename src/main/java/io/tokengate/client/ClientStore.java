package io.tokengate.client;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Clients in PostgreSQL. */
public final class ClientStore {

  private static final String COLUMNS =
    "client_id, secret_hash, auth_methods, grant_types, scopes, default_scopes, access_token_ttl_seconds, enabled";

  private final Pool pool;

  public ClientStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<Client>> findById(String clientId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM clients WHERE client_id = $1")
      .execute(Tuple.of(clientId))
      .map(ClientStore::first);
  }

  /** @return the new client, or empty if the id is taken */
  public Future<Optional<Client>> insert(Client client) {
    return pool.preparedQuery("INSERT INTO clients (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
        + "ON CONFLICT (client_id) DO NOTHING RETURNING " + COLUMNS)
      .execute(Tuple.tuple()
        .addString(client.clientId())
        .addString(client.secretHash())
        .addArrayOfString(client.authMethods().stream().map(ClientAuthMethod::value).toArray(String[]::new))
        .addArrayOfString(client.grantTypes().toArray(String[]::new))
        .addArrayOfString(client.scopes().toArray(String[]::new))
        .addArrayOfString(client.defaultScopes().toArray(String[]::new))
        .addInteger(client.accessTokenTtl().map(ttl -> (int) ttl.toSeconds()).orElse(null))
        .addBoolean(client.enabled()))
      .map(ClientStore::first);
  }

  /** Replaces a client's secret (the demo seeding re-uses its client). */
  public Future<Boolean> updateSecret(String clientId, String secretHash) {
    return pool.preparedQuery("UPDATE clients SET secret_hash = $2, updated_at = now() WHERE client_id = $1")
      .execute(Tuple.of(clientId, secretHash))
      .map(rows -> rows.rowCount() == 1);
  }

  private static Optional<Client> first(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row row = rows.iterator().next();
    Set<ClientAuthMethod> methods = EnumSet.noneOf(ClientAuthMethod.class);
    for (String method : row.getArrayOfStrings("auth_methods")) {
      // A method this version does not know (written by a newer one) is simply not usable here.
      ClientAuthMethod.fromValue(method).ifPresent(methods::add);
    }
    Integer ttl = row.getInteger("access_token_ttl_seconds");
    return Optional.of(new Client(
      row.getString("client_id"),
      row.getString("secret_hash"),
      methods,
      new LinkedHashSet<>(Arrays.asList(row.getArrayOfStrings("grant_types"))),
      List.of(row.getArrayOfStrings("scopes")),
      List.of(row.getArrayOfStrings("default_scopes")),
      Optional.ofNullable(ttl).map(Duration::ofSeconds),
      row.getBoolean("enabled")));
  }
}
