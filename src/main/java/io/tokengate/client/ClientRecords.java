package io.tokengate.client;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Client registrations as the policy needs them: looked up for every authentication (through {@link ClientCache}),
 * and written by registration and the operator's commands. The PostgreSQL adapter is {@code store.ClientStore}.
 */
public interface ClientRecords {

  Future<Optional<Client>> findById(String clientId);

  /** @return the client, or empty if its id is taken */
  Future<Optional<Client>> insert(Client client);

  /** Changes a registration (not its credential); empty if there is no such client. */
  Future<Optional<Client>> update(String clientId, UnaryOperator<Client> change);

  Future<List<Client>> list();

  Future<Boolean> updateSecret(String clientId, String secretHash, byte[] sealed);

  /** Replaces the credential: methods, secret, keys and certificates. */
  Future<Boolean> replaceCredential(Client client);

  Future<Boolean> enable(String clientId);

  Future<Boolean> disable(String clientId);

  /** Deletes the client with its refresh-token families. */
  Future<Boolean> delete(String clientId);
}
