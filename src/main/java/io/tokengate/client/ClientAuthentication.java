package io.tokengate.client;

import io.tokengate.oauth.ClientRequest;
import io.vertx.core.Future;

/**
 * One client-authentication method (RFC 7591 {@code token_endpoint_auth_method}). A method is one implementation of
 * this and one line in {@link ClientAuthenticator#create}; the authenticator finds the methods the presented
 * credentials belong to and asks only those the client is registered for.
 */
interface ClientAuthentication {

  ClientAuthMethod method();

  /** Whether the credentials are of this method's kind: a Basic header, a posted secret, an HMAC assertion, ... */
  boolean presentedIn(ClientCredentials credentials);

  /**
   * Whether the credentials prove the client, which is enabled and registered for this method. Fails (rather than
   * answering false) only where the failure has a description of its own, such as a replayed assertion.
   */
  Future<Boolean> verify(Client client, ClientCredentials credentials, ClientRequest request);
}
