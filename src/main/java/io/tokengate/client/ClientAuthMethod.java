package io.tokengate.client;

import java.util.Arrays;
import java.util.Optional;

/** Client authentication methods, named as in the IANA OAuth registry (RFC 7591 §2, RFC 7523, RFC 8705). */
public enum ClientAuthMethod {
  CLIENT_SECRET_BASIC("client_secret_basic"),
  CLIENT_SECRET_POST("client_secret_post"),
  /** An assertion signed with HMAC keyed by the client's secret (RFC 7523 §2.2, OpenID Connect Core §9). */
  CLIENT_SECRET_JWT("client_secret_jwt"),
  /** An assertion signed with a private key whose public key the client registered (RFC 7523 §2.2). */
  PRIVATE_KEY_JWT("private_key_jwt"),
  /** A certificate from a trusted CA with the registered subject or SAN (RFC 8705 §2.1). */
  TLS_CLIENT_AUTH("tls_client_auth"),
  /** A certificate registered with the client itself (RFC 8705 §2.2). */
  SELF_SIGNED_TLS_CLIENT_AUTH("self_signed_tls_client_auth");

  private final String value;

  ClientAuthMethod(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  /** Whether the client proves itself with its secret (and so needs one). */
  public boolean usesSecret() {
    return this == CLIENT_SECRET_BASIC || this == CLIENT_SECRET_POST || this == CLIENT_SECRET_JWT;
  }

  public static Optional<ClientAuthMethod> fromValue(String value) {
    return Arrays.stream(values()).filter(method -> method.value.equals(value)).findFirst();
  }
}
