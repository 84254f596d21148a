package io.tokengate.oauth;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/** A form request from a client that must authenticate: to the token, introspection or revocation endpoint. */
public interface ClientRequest {

  Parameters parameters();

  /** The {@code Authorization} header, if one was sent. */
  Optional<String> authorization();

  /**
   * The client's certificate chain, leaf first: from the TLS handshake with tokengate, or forwarded by a trusted
   * proxy in the RFC 9440 {@code Client-Cert} header. Empty when there is none.
   */
  List<X509Certificate> clientCertificates();

  /** The URL of the endpoint this request was sent to, as this server names it (an assertion's aud may name it). */
  String endpointUrl();
}
