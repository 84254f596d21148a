package io.tokengate.store;

import io.tokengate.client.Client;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client rows as {@code tokengate apply} reads and writes them, on the connection of its one transaction: every
 * column of a registration, the credential included, and the managed marker.
 */
public final class ClientRows {

  /** A stored client and whether apply manages it. */
  public record Stored(Client client, boolean managed) {
  }

  /** "tg-apply" in ASCII: the transaction-scoped advisory lock that lets one apply run at a time. */
  private static final long LOCK_KEY = 0x74672d6170706c79L;

  private final SqlConnection connection;

  public ClientRows(SqlConnection connection) {
    this.connection = connection;
  }

  /** Waits for any other apply; released at the end of the transaction (safe behind a transaction-mode pooler). */
  public Future<Void> lock() {
    return connection.query("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")").execute().mapEmpty();
  }

  /** Every client by id, in id order, locked until the transaction ends. */
  public Future<Map<String, Stored>> all() {
    return connection.query("SELECT " + ClientStore.READ_COLUMNS + ", managed FROM clients ORDER BY client_id FOR UPDATE")
      .execute()
      .map(rows -> {
        Map<String, Stored> clients = new LinkedHashMap<>();
        for (Row row : rows) {
          clients.put(row.getString("client_id"), new Stored(ClientStore.toClient(row), row.getBoolean("managed")));
        }
        return clients;
      });
  }

  public Future<Void> insert(Client client) {
    return connection.preparedQuery("INSERT INTO clients (" + ClientStore.COLUMNS + ", managed) VALUES ($1, $2, $3, "
        + "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, true)")
      .execute(ClientStore.columns(client)).mapEmpty();
  }

  /** Every column but the id, and marks it managed. */
  public Future<Void> replace(Client client) {
    String columns = ClientStore.COLUMNS.substring(ClientStore.COLUMNS.indexOf(',') + 1);
    StringBuilder values = new StringBuilder();
    for (int i = 2; i <= 22; i++) {
      values.append(i == 2 ? "" : ", ").append('$').append(i);
    }
    return connection.preparedQuery("UPDATE clients SET (" + columns + ") = ROW(" + values + "), managed = true, "
        + "updated_at = now() WHERE client_id = $1")
      .execute(ClientStore.columns(client)).mapEmpty();
  }

  public Future<Void> disable(String clientId) {
    return connection.preparedQuery("UPDATE clients SET enabled = false, updated_at = now() WHERE client_id = $1")
      .execute(Tuple.of(clientId)).mapEmpty();
  }

  /** Its refresh-token families go with it (ON DELETE CASCADE). */
  public Future<Void> delete(String clientId) {
    return connection.preparedQuery("DELETE FROM clients WHERE client_id = $1").execute(Tuple.of(clientId)).mapEmpty();
  }
}
