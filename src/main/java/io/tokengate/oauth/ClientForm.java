package io.tokengate.oauth;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * A form that passed the edge checks (urlencoded POST, bounded, no repeats, nothing in the query string).
 *
 * @param dpopProof the {@code DPoP} header, if one was sent (RFC 9449 §4.1)
 */
public record ClientForm(Parameters parameters, Optional<String> authorization,
                         List<X509Certificate> clientCertificates, Optional<String> dpopProof, String endpointUrl)
  implements ClientRequest {

  /** Never the parameters' values or the Authorization header: they carry secrets and tokens. */
  @Override
  public String toString() {
    return "ClientForm";
  }
}
