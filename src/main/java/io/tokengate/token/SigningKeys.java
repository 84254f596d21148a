package io.tokengate.token;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import java.util.List;

/**
 * The key that signs new tokens and the public keys that verify them (published at the JWKS endpoint): the
 * active key plus keys that still verify tokens they signed earlier.
 */
public final class SigningKeys {

  private final SigningKey active;
  private final String publicJwks;

  public SigningKeys(SigningKey active, List<JWK> published) {
    this.active = active;
    this.publicJwks = new JWKSet(published.stream().map(JWK::toPublicJWK).toList()).toString(true);
  }

  public SigningKey active() {
    return active;
  }

  /** {@code {"keys":[...]}} with public parts only. */
  public String publicJwks() {
    return publicJwks;
  }
}
