package io.tokengate.oauth;

import java.util.Optional;

/** A form that passed the edge checks (urlencoded POST, bounded, no repeats, nothing in the query string). */
public record ClientForm(Parameters parameters, Optional<String> authorization) implements ClientRequest {

  /** Never the parameters' values or the Authorization header: they carry secrets and tokens. */
  @Override
  public String toString() {
    return "ClientForm";
  }
}
