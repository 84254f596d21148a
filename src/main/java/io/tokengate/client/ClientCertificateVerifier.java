package io.tokengate.client;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64;
import io.tokengate.oauth.ClientRequest;
import io.tokengate.tls.CertificateAuthorities;
import io.tokengate.tls.CertificateIdentity;
import io.vertx.core.Future;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Mutual-TLS client authentication (RFC 8705 §2), one instance per method: {@code tls_client_auth} trusts the
 * configured CAs and then the one certificate attribute the client registered; {@code self_signed_tls_client_auth}
 * trusts exactly the certificates the client registered (by thumbprint, or in the {@code x5c} of its keys).
 */
final class ClientCertificateVerifier {

  /** {@code tls_client_auth}: a certificate from a trusted CA with the client's registered subject or SAN. */
  static ClientAuthentication tlsClientAuth(ClientCertificateVerifier verifier) {
    return new Method(ClientAuthMethod.TLS_CLIENT_AUTH, verifier);
  }

  /** {@code self_signed_tls_client_auth}: a certificate registered with the client itself. */
  static ClientAuthentication selfSignedTlsClientAuth(ClientCertificateVerifier verifier) {
    return new Method(ClientAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH, verifier);
  }

  private record Method(ClientAuthMethod method, ClientCertificateVerifier verifier) implements ClientAuthentication {

    @Override
    public boolean presentedIn(ClientCredentials credentials) {
      return credentials instanceof ClientCredentials.Certificate;
    }

    @Override
    public Future<Boolean> verify(Client client, ClientCredentials credentials, ClientRequest request) {
      ClientCredentials.Certificate certificate = (ClientCredentials.Certificate) credentials;
      return method == ClientAuthMethod.TLS_CLIENT_AUTH
        ? Future.succeededFuture(verifier.issuedFor(client, certificate))
        : verifier.registeredWith(client, certificate);
    }
  }

  private final CertificateAuthorities authorities;
  private final ClientPublicKeys publicKeys;
  private final Clock clock;

  ClientCertificateVerifier(CertificateAuthorities authorities, ClientPublicKeys publicKeys, Clock clock) {
    this.authorities = authorities;
    this.publicKeys = publicKeys;
    this.clock = clock;
  }

  /** RFC 8705 §2.1: the registered attribute, in a certificate whose chain a configured CA issued. */
  private boolean issuedFor(Client client, ClientCredentials.Certificate certificate) {
    X509Certificate leaf = certificate.chain().get(0);
    return client.keys().tlsIdentity().isPresent() && identifies(client.keys().tlsIdentity().get(), leaf)
      && authorities.trusts(certificate.chain(), clock.instant());
  }

  /** RFC 8705 §2.2: the very certificate the client registered. */
  private Future<Boolean> registeredWith(Client client, ClientCredentials.Certificate certificate) {
    X509Certificate leaf = certificate.chain().get(0);
    if (CertificateIdentity.isSelfSignedMatch(leaf, client.keys().certificateThumbprints())) {
      return Future.succeededFuture(true);
    }
    return registeredCertificateThumbprints(client)
      .map(thumbprints -> CertificateIdentity.isSelfSignedMatch(leaf, thumbprints))
      .recover(unreachable -> Future.succeededFuture(false));
  }

  private static boolean identifies(TlsClientIdentity identity, X509Certificate leaf) {
    return switch (identity.kind()) {
      case SUBJECT_DN -> CertificateIdentity.subjectMatches(leaf, identity.value());
      case SAN_DNS -> CertificateIdentity.sanMatches(leaf, CertificateIdentity.SanType.DNS, identity.value());
      case SAN_URI -> CertificateIdentity.sanMatches(leaf, CertificateIdentity.SanType.URI, identity.value());
      case SAN_IP -> CertificateIdentity.sanMatches(leaf, CertificateIdentity.SanType.IP, identity.value());
      case SAN_EMAIL -> CertificateIdentity.sanMatches(leaf, CertificateIdentity.SanType.EMAIL, identity.value());
    };
  }

  /** RFC 8705 §2.2: the first certificate of each key's {@code x5c}, in the client's registered or fetched keys. */
  private Future<List<String>> registeredCertificateThumbprints(Client client) {
    return publicKeys.of(client, null).map(set -> {
      List<String> thumbprints = new ArrayList<>();
      for (JWK key : set.getKeys()) {
        List<Base64> chain = key.getX509CertChain();
        if (chain != null && !chain.isEmpty()) {
          thumbprints.add(CertificateIdentity.thumbprint(chain.get(0).decode()));
        }
      }
      return thumbprints;
    });
  }
}
