package io.tokengate.client;

import io.tokengate.oauth.ClientRequest;
import io.vertx.core.Future;

/** {@code client_secret_basic} and {@code client_secret_post} (RFC 6749 §2.3.1): the secret itself, checked against its hash. */
final class ClientSecretAuthentication implements ClientAuthentication {

  private final ClientAuthMethod method;
  private final ClientSecrets secrets;

  ClientSecretAuthentication(ClientAuthMethod method, ClientSecrets secrets) {
    this.method = method;
    this.secrets = secrets;
  }

  @Override
  public ClientAuthMethod method() {
    return method;
  }

  @Override
  public boolean presentedIn(ClientCredentials credentials) {
    return credentials instanceof ClientCredentials.Secret secret && secret.method() == method;
  }

  @Override
  public Future<Boolean> verify(Client client, ClientCredentials credentials, ClientRequest request) {
    if (client.secretHash() == null) {
      return Future.succeededFuture(false);
    }
    return secrets.verify(client.clientId(), ((ClientCredentials.Secret) credentials).secret(), client.secretHash());
  }
}
