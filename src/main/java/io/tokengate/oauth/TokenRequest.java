package io.tokengate.oauth;

import java.util.Optional;

/**
 * A token request that passed the edge checks, with its {@code grant_type}. What the client authenticates with and
 * what the grant needs are read from it by the next steps.
 */
public record TokenRequest(String grantType, Parameters parameters, Optional<String> authorization)
  implements ClientRequest {

  public static TokenRequest of(ClientForm form) {
    return new TokenRequest(form.parameters().required("grant_type"), form.parameters(), form.authorization());
  }

  /** Never the parameters' values or the Authorization header: they carry passwords and secrets. */
  @Override
  public String toString() {
    return "TokenRequest[" + grantType + "]";
  }
}
