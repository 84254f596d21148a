package io.tokengate.client;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64;
import io.tokengate.tls.CertificateAuthorities;
import io.tokengate.tls.CertificateIdentity;
import io.vertx.core.Future;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Mutual-TLS client authentication (RFC 8705 §2): {@code tls_client_auth} trusts the configured CAs and then the one
 * certificate attribute the client registered; {@code self_signed_tls_client_auth} trusts exactly the certificates
 * the client registered (by thumbprint, or in the {@code x5c} of its keys).
 */
final class ClientCertificateVerifier {

  private final CertificateAuthorities authorities;
  private final ClientPublicKeys publicKeys;
  private final Clock clock;

  ClientCertificateVerifier(CertificateAuthorities authorities, ClientPublicKeys publicKeys, Clock clock) {
    this.authorities = authorities;
    this.publicKeys = publicKeys;
    this.clock = clock;
  }

  Future<Boolean> verify(Client client, ClientCredentials.Certificate certificate) {
    X509Certificate leaf = certificate.chain().get(0);
    if (client.authMethods().contains(ClientAuthMethod.TLS_CLIENT_AUTH) && client.keys().tlsIdentity().isPresent()
      && identifies(client.keys().tlsIdentity().get(), leaf)
      && authorities.trusts(certificate.chain(), clock.instant())) {
      return Future.succeededFuture(true);
    }
    if (!client.authMethods().contains(ClientAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH)) {
      return Future.succeededFuture(false);
    }
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
