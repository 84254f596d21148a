package io.tokengate.client;

import io.tokengate.oauth.OAuthException;
import io.tokengate.oauth.ClientRequest;
import io.vertx.core.Future;

import java.util.Optional;

/**
 * Authenticates the client of a request: which method it used, whether that client exists, is enabled and is
 * registered for that method, and whether its credential is right. Every failure is the same invalid_client.
 */
public final class ClientAuthenticator {

  private static final String FAILED = "client authentication failed";

  private final ClientCache clients;
  private final ClientSecrets secrets;

  public ClientAuthenticator(ClientCache clients, ClientSecrets secrets) {
    this.clients = clients;
    this.secrets = secrets;
  }

  public Future<Client> authenticate(ClientRequest request) {
    ClientCredentials credentials;
    try {
      credentials = ClientCredentials.from(request);
    } catch (OAuthException e) {
      return Future.failedFuture(e);
    }
    return clients.find(credentials.clientId())
      .compose(found -> verify(credentials, found));
  }

  private Future<Client> verify(ClientCredentials credentials, Optional<Client> found) {
    if (found.isEmpty()) {
      return Future.failedFuture(OAuthException.invalidClient(FAILED));
    }
    Client client = found.get();
    if (!client.enabled() || !client.authMethods().contains(credentials.method()) || client.secretHash() == null) {
      return Future.failedFuture(OAuthException.invalidClient(FAILED));
    }
    return secrets.verify(client.clientId(), credentials.secret(), client.secretHash())
      .compose(matches -> matches
        ? Future.succeededFuture(client)
        : Future.failedFuture(OAuthException.invalidClient(FAILED)));
  }
}
