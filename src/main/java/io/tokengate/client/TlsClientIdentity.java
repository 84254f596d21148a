package io.tokengate.client;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a {@code tls_client_auth} client's certificate must carry: its subject DN, or one subject alternative name
 * (RFC 8705 §2.1.2 — exactly one of these is registered).
 */
public record TlsClientIdentity(Kind kind, String value) {

  /** Named after the RFC 8705 client metadata, without its {@code tls_client_auth_} prefix. */
  public enum Kind {
    SUBJECT_DN, SAN_DNS, SAN_URI, SAN_IP, SAN_EMAIL;

    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Kind> fromValue(String value) {
      return Arrays.stream(values()).filter(kind -> kind.value().equals(value)).findFirst();
    }
  }

  @Override
  public String toString() {
    return "tls_client_auth_" + kind.value() + "=" + value;
  }
}
