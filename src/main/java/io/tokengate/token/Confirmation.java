package io.tokengate.token;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a token is bound to (its {@code cnf} claim, RFC 7800): the client's TLS certificate (RFC 8705 §3.1,
 * {@code x5t#S256}) and/or the key of a DPoP proof (RFC 9449 §6, {@code jkt}). A token bound to neither is a plain
 * bearer token.
 */
public record Confirmation(Optional<String> certificateThumbprint, Optional<String> dpopKeyThumbprint) {

  public static final Confirmation NONE = new Confirmation(Optional.empty(), Optional.empty());
  public static final String CLAIM = "cnf";

  /** RFC 9449 §5: a DPoP-bound access token has token_type DPoP. */
  public String tokenType() {
    return dpopKeyThumbprint.isPresent() ? "DPoP" : "Bearer";
  }

  public boolean isEmpty() {
    return certificateThumbprint.isEmpty() && dpopKeyThumbprint.isEmpty();
  }

  /** The {@code cnf} claim's value. */
  public Map<String, Object> claim() {
    Map<String, Object> cnf = new LinkedHashMap<>();
    certificateThumbprint.ifPresent(thumbprint -> cnf.put("x5t#S256", thumbprint));
    dpopKeyThumbprint.ifPresent(jkt -> cnf.put("jkt", jkt));
    return cnf;
  }
}
