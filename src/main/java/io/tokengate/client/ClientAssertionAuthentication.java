package io.tokengate.client;

import io.tokengate.oauth.ClientRequest;
import io.vertx.core.Future;

/**
 * {@code client_secret_jwt} and {@code private_key_jwt} (RFC 7523 §2.2): a JWT assertion, HMAC-signed with the
 * client's secret or signed with its private key, told apart by the assertion's algorithm.
 */
final class ClientAssertionAuthentication implements ClientAuthentication {

  private final ClientAuthMethod method;
  private final ClientAssertionVerifier assertions;

  ClientAssertionAuthentication(ClientAuthMethod method, ClientAssertionVerifier assertions) {
    this.method = method;
    this.assertions = assertions;
  }

  @Override
  public ClientAuthMethod method() {
    return method;
  }

  @Override
  public boolean presentedIn(ClientCredentials credentials) {
    return credentials instanceof ClientCredentials.Assertion assertion && assertion.method() == method;
  }

  @Override
  public Future<Boolean> verify(Client client, ClientCredentials credentials, ClientRequest request) {
    return assertions.verify(client, (ClientCredentials.Assertion) credentials, request).map(true);
  }
}
