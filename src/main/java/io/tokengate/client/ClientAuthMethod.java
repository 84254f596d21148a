package io.tokengate.client;

import java.util.Arrays;
import java.util.Optional;

/** Client authentication methods, named as in the IANA OAuth registry (RFC 7591 §2). */
public enum ClientAuthMethod {
  CLIENT_SECRET_BASIC("client_secret_basic"),
  CLIENT_SECRET_POST("client_secret_post");

  private final String value;

  ClientAuthMethod(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public static Optional<ClientAuthMethod> fromValue(String value) {
    return Arrays.stream(values()).filter(method -> method.value.equals(value)).findFirst();
  }
}
