package io.tokengate.client;

import io.tokengate.config.Config;
import io.tokengate.metrics.ClientAuthenticationMetrics;
import io.tokengate.oauth.ClientRequest;
import io.tokengate.oauth.OAuthException;
import io.tokengate.tls.CertificateAuthorities;
import io.tokengate.user.PasswordHashing;
import io.vertx.core.Future;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Authenticates the client of a request: which method it used, whether that client exists, is enabled and is
 * registered for that method, and whether its credential is right. Every failure is invalid_client, and the same
 * one until the credential has been verified. Grants see only the authenticated {@link Client}, so a new method
 * never touches them.
 */
public final class ClientAuthenticator {

  private static final String FAILED = "client authentication failed";

  private final ClientCache clients;
  private final List<ClientAuthentication> methods;
  private final ClientAuthenticationMetrics metrics;

  ClientAuthenticator(ClientCache clients, List<ClientAuthentication> methods, ClientAuthenticationMetrics metrics) {
    this.clients = clients;
    this.methods = List.copyOf(methods);
    this.metrics = metrics;
  }

  /** Every method, in the order they are tried when one credential fits several: the one place a method is added. */
  public static ClientAuthenticator create(Config config, ClientCache clients, PasswordHashing hashing,
                                           RemoteJwks remoteJwks, UsedAssertionIds oneTimeIds,
                                           CertificateAuthorities authorities, Clock clock,
                                           ClientAuthenticationMetrics metrics) {
    // A quarter of the hashing threads (at least one) for chosen client secrets: password logins keep the rest.
    ClientSecrets secrets = new ClientSecrets(hashing, Math.max(1, hashing.threads() / 4),
      metrics::secretHashingRefused);
    ClientPublicKeys publicKeys = new ClientPublicKeys(remoteJwks);
    ClientAssertionVerifier assertions = new ClientAssertionVerifier(config, ClientSecretSealer.of(config.keyring()),
      publicKeys, oneTimeIds, clock);
    ClientCertificateVerifier certificates = new ClientCertificateVerifier(authorities, publicKeys, clock);
    return new ClientAuthenticator(clients, List.of(
      new ClientSecretAuthentication(ClientAuthMethod.CLIENT_SECRET_BASIC, secrets),
      new ClientSecretAuthentication(ClientAuthMethod.CLIENT_SECRET_POST, secrets),
      new ClientAssertionAuthentication(ClientAuthMethod.CLIENT_SECRET_JWT, assertions),
      new ClientAssertionAuthentication(ClientAuthMethod.PRIVATE_KEY_JWT, assertions),
      ClientCertificateVerifier.tlsClientAuth(certificates),
      ClientCertificateVerifier.selfSignedTlsClientAuth(certificates)), metrics);
  }

  public Future<Client> authenticate(ClientRequest request) {
    ClientCredentials credentials;
    try {
      credentials = ClientCredentials.from(request);
    } catch (OAuthException e) {
      metrics.record("none", false);
      return Future.failedFuture(e);
    }
    List<ClientAuthentication> presented = methods.stream().filter(method -> method.presentedIn(credentials)).toList();
    return clients.find(credentials.clientId())
      .compose(found -> {
        List<ClientAuthentication> registered = found.filter(Client::enabled)
          .map(client -> presented.stream().filter(method -> client.authMethods().contains(method.method())).toList())
          .orElse(List.of());
        // The metric names what was tried: the method the client registered, else the first the credential fits.
        String method = (registered.isEmpty() ? presented : registered).get(0).method().value();
        return firstThatVerifies(registered, 0, found, credentials, request)
          .onComplete(result -> metrics.record(method, result.succeeded()));
      });
  }

  static OAuthException failed() {
    return OAuthException.invalidClient(FAILED);
  }

  /** Each registered method in turn, until one verifies (a certificate may fit tls_client_auth and the self-signed one). */
  private static Future<Client> firstThatVerifies(List<ClientAuthentication> registered, int index,
                                                  Optional<Client> client, ClientCredentials credentials,
                                                  ClientRequest request) {
    if (index == registered.size()) {
      return Future.failedFuture(failed());
    }
    return registered.get(index).verify(client.orElseThrow(), credentials, request)
      .compose(verified -> verified ? Future.succeededFuture(client.get())
        : firstThatVerifies(registered, index + 1, client, credentials, request));
  }
}
