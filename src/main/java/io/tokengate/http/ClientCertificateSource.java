package io.tokengate.http;

import io.tokengate.oauth.OAuthException;
import io.tokengate.tls.ClientCertHeader;
import io.tokengate.tls.TrustedProxies;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a client's TLS certificate comes from: the handshake with tokengate itself, or — only when the peer is a
 * configured trusted proxy — the RFC 9440 {@code Client-Cert} and {@code Client-Cert-Chain} headers. From any other
 * peer those headers are ignored: anyone can write a header, and the certificate in it proves nothing by itself.
 */
final class ClientCertificateSource {

  private final TrustedProxies proxies;

  ClientCertificateSource(TrustedProxies proxies) {
    this.proxies = proxies;
  }

  /** @return the chain, leaf first; empty when there is no certificate to believe */
  List<X509Certificate> of(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    if (connection.isSsl()) {
      List<X509Certificate> presented = handshake(connection);
      if (!presented.isEmpty()) {
        return presented;
      }
    }
    String header = request.getHeader(ClientCertHeader.CLIENT_CERT);
    if (header == null || connection.remoteAddress() == null
      || !proxies.trusts(connection.remoteAddress().hostAddress())) {
      return List.of();
    }
    if (request.headers().getAll(ClientCertHeader.CLIENT_CERT).size() > 1 || request.headers().getAll(ClientCertHeader.CLIENT_CERT_CHAIN).size() > 1) {
      throw OAuthException.invalidRequest("more than one Client-Cert header");
    }
    return ClientCertHeader.parse(header, request.getHeader(ClientCertHeader.CLIENT_CERT_CHAIN));
  }

  private static List<X509Certificate> handshake(HttpConnection connection) {
    try {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate certificate : connection.peerCertificates()) {
        if (certificate instanceof X509Certificate x509) {
          chain.add(x509);
        }
      }
      return chain;
    } catch (SSLPeerUnverifiedException e) {
      // The client sent no certificate (they are requested, not required).
      return List.of();
    }
  }
}
