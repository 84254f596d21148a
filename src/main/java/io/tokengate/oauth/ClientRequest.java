package io.tokengate.oauth;

import java.util.Optional;

/** A form request from a client that must authenticate: to the token, introspection or revocation endpoint. */
public interface ClientRequest {

  Parameters parameters();

  /** The {@code Authorization} header, if one was sent. */
  Optional<String> authorization();
}
