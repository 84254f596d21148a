package io.tokengate.oauth;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * A token request that passed the edge checks, with its {@code grant_type}. What the client authenticates with and
 * what the grant needs are read from it by the next steps.
 */
public record TokenRequest(String grantType, ClientForm form) implements ClientRequest {

  public static TokenRequest of(ClientForm form) {
    return new TokenRequest(form.parameters().required("grant_type"), form);
  }

  @Override
  public Parameters parameters() {
    return form.parameters();
  }

  @Override
  public Optional<String> authorization() {
    return form.authorization();
  }

  @Override
  public List<X509Certificate> clientCertificates() {
    return form.clientCertificates();
  }

  @Override
  public String endpointUrl() {
    return form.endpointUrl();
  }

  public Optional<String> dpopProof() {
    return form.dpopProof();
  }

  /** Never the parameters' values or the Authorization header: they carry passwords and secrets. */
  @Override
  public String toString() {
    return "TokenRequest[" + grantType + "]";
  }
}
