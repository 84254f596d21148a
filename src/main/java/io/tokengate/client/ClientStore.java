package io.tokengate.client;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Clients in PostgreSQL. */
public final class ClientStore {

  private static final String COLUMNS = "client_id, secret_hash, auth_methods, grant_types, scopes, default_scopes, "
    + "access_token_ttl_seconds, refresh_token_ttl_seconds, refresh_token_idle_seconds, enabled";

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
    return pool.preparedQuery("INSERT INTO clients (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
        + "ON CONFLICT (client_id) DO NOTHING RETURNING " + COLUMNS)
      .execute(Tuple.tuple()
        .addString(client.clientId())
        .addString(client.secretHash())
        .addArrayOfString(client.authMethods().stream().map(ClientAuthMethod::value).toArray(String[]::new))
        .addArrayOfString(client.grantTypes().toArray(String[]::new))
        .addArrayOfString(client.scopes().toArray(String[]::new))
        .addArrayOfString(client.defaultScopes().toArray(String[]::new))
        .addInteger(seconds(client.accessTokenTtl()))
        .addInteger(seconds(client.refreshTokenTtl()))
        .addInteger(seconds(client.refreshTokenIdle()))
        .addBoolean(client.enabled()))
      .map(ClientStore::first);
  }

  /** Every client, ordered by id. */
  public Future<List<Client>> list() {
    return pool.query("SELECT " + COLUMNS + " FROM clients ORDER BY client_id").execute()
      .map(rows -> {
        List<Client> clients = new ArrayList<>();
        rows.forEach(row -> clients.add(toClient(row)));
        return clients;
      });
  }

  /** @return false if there is no such client */
  public Future<Boolean> updateSecret(String clientId, String secretHash) {
    return pool.preparedQuery("UPDATE clients SET secret_hash = $2, updated_at = now() WHERE client_id = $1")
      .execute(Tuple.of(clientId, secretHash))
      .map(rows -> rows.rowCount() == 1);
  }

  /** @return false if there is no such client */
  public Future<Boolean> disable(String clientId) {
    return pool.preparedQuery("UPDATE clients SET enabled = false, updated_at = now() WHERE client_id = $1")
      .execute(Tuple.of(clientId))
      .map(rows -> rows.rowCount() == 1);
  }

  private static Integer seconds(Optional<Duration> duration) {
    return duration.map(value -> (int) value.toSeconds()).orElse(null);
  }

  private static Optional<Client> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(toClient(rows.iterator().next()));
  }

  private static Client toClient(Row row) {
    Set<ClientAuthMethod> methods = EnumSet.noneOf(ClientAuthMethod.class);
    for (String method : row.getArrayOfStrings("auth_methods")) {
      // A method this version does not know (written by a newer one) is simply not usable here.
      ClientAuthMethod.fromValue(method).ifPresent(methods::add);
    }
    return new Client(
      row.getString("client_id"),
      row.getString("secret_hash"),
      methods,
      new LinkedHashSet<>(Arrays.asList(row.getArrayOfStrings("grant_types"))),
      List.of(row.getArrayOfStrings("scopes")),
      List.of(row.getArrayOfStrings("default_scopes")),
      duration(row, "access_token_ttl_seconds"),
      duration(row, "refresh_token_ttl_seconds"),
      duration(row, "refresh_token_idle_seconds"),
      row.getBoolean("enabled"));
  }

  private static Optional<Duration> duration(Row row, String column) {
    return Optional.ofNullable(row.getInteger(column)).map(Duration::ofSeconds);
  }
}
