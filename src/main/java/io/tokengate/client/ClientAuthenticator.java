package io.tokengate.client;

import io.tokengate.config.Config;
import io.tokengate.metrics.ClientAuthenticationMetrics;
import io.tokengate.oauth.ClientRequest;
import io.tokengate.oauth.OAuthException;
import io.tokengate.store.OneTimeIds;
import io.tokengate.tls.CertificateAuthorities;
import io.tokengate.user.PasswordHashing;
import io.vertx.core.Future;

import java.time.Clock;
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
  private final ClientSecrets secrets;
  private final ClientAssertionVerifier assertions;
  private final ClientCertificateVerifier certificates;
  private final ClientAuthenticationMetrics metrics;

  ClientAuthenticator(ClientCache clients, ClientSecrets secrets, ClientAssertionVerifier assertions,
                      ClientCertificateVerifier certificates, ClientAuthenticationMetrics metrics) {
    this.clients = clients;
    this.secrets = secrets;
    this.assertions = assertions;
    this.certificates = certificates;
    this.metrics = metrics;
  }

  /** Every method wired: the one place a new method is added. */
  public static ClientAuthenticator create(Config config, ClientCache clients, PasswordHashing hashing,
                                           RemoteJwks remoteJwks, OneTimeIds oneTimeIds,
                                           CertificateAuthorities authorities, Clock clock,
                                           ClientAuthenticationMetrics metrics) {
    Optional<ClientSecretSealer> sealer = config.clients().secretEncryptionKey().map(ClientSecretSealer::new);
    ClientPublicKeys publicKeys = new ClientPublicKeys(remoteJwks);
    // A quarter of the hashing threads (at least one) for chosen client secrets: password logins keep the rest.
    ClientSecrets secrets = new ClientSecrets(hashing, Math.max(1, hashing.threads() / 4),
      metrics::secretHashingRefused);
    return new ClientAuthenticator(clients, secrets,
      new ClientAssertionVerifier(config, sealer, publicKeys, oneTimeIds, clock),
      new ClientCertificateVerifier(authorities, publicKeys, clock), metrics);
  }

  public Future<Client> authenticate(ClientRequest request) {
    ClientCredentials credentials;
    try {
      credentials = ClientCredentials.from(request);
    } catch (OAuthException e) {
      metrics.record("none", false);
      return Future.failedFuture(e);
    }
    return clients.find(credentials.clientId())
      .compose(found -> verify(credentials, found, request)
        .onComplete(result -> metrics.record(methodOf(credentials, found), result.succeeded())));
  }

  /** What the credential is, for the metric: a certificate counts under the mTLS method its client registered. */
  private static String methodOf(ClientCredentials credentials, Optional<Client> client) {
    if (credentials instanceof ClientCredentials.Secret secret) {
      return secret.method().value();
    }
    if (credentials instanceof ClientCredentials.Assertion assertion) {
      return assertion.method().value();
    }
    boolean selfSignedOnly = client.map(Client::authMethods)
      .filter(methods -> methods.contains(ClientAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH)
        && !methods.contains(ClientAuthMethod.TLS_CLIENT_AUTH))
      .isPresent();
    return (selfSignedOnly ? ClientAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH : ClientAuthMethod.TLS_CLIENT_AUTH).value();
  }

  static OAuthException failed() {
    return OAuthException.invalidClient(FAILED);
  }

  private Future<Client> verify(ClientCredentials credentials, Optional<Client> found, ClientRequest request) {
    if (found.isEmpty() || !found.get().enabled()) {
      return Future.failedFuture(failed());
    }
    Client client = found.get();
    if (credentials instanceof ClientCredentials.Secret secret) {
      if (!client.authMethods().contains(secret.method()) || client.secretHash() == null) {
        return Future.failedFuture(failed());
      }
      return secrets.verify(client.clientId(), secret.secret(), client.secretHash())
        .compose(matches -> accepted(matches, client));
    }
    if (credentials instanceof ClientCredentials.Assertion assertion) {
      if (!client.authMethods().contains(assertion.method())) {
        return Future.failedFuture(failed());
      }
      return assertions.verify(client, assertion, request).map(client);
    }
    ClientCredentials.Certificate certificate = (ClientCredentials.Certificate) credentials;
    return certificates.verify(client, certificate).compose(matches -> accepted(matches, client));
  }

  private static Future<Client> accepted(boolean matches, Client client) {
    return matches ? Future.succeededFuture(client) : Future.failedFuture(failed());
  }
}
