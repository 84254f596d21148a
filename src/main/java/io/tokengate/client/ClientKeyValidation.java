package io.tokengate.client;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.tokengate.crypto.PublicKeyVerifiers;

import javax.security.auth.x500.X500Principal;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks at registration that a client's methods and keys fit together, so that no request meets a half-set client. */
final class ClientKeyValidation {

  private static final Pattern THUMBPRINT = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private ClientKeyValidation() {
  }

  static void validate(Set<ClientAuthMethod> methods, ClientKeys keys, boolean hmacAvailable) {
    if (methods.isEmpty()) {
      throw new IllegalArgumentException("a client needs at least one authentication method");
    }
    if (keys.sealedSecret().isPresent()) {
      throw new IllegalArgumentException("a sealed secret is made by registration, not given to it");
    }
    if (methods.contains(ClientAuthMethod.CLIENT_SECRET_JWT) && !hmacAvailable) {
      throw new IllegalArgumentException("client_secret_jwt needs clients.secret_encryption_key to be configured");
    }
    if (keys.jwks().isPresent() && keys.jwksUri().isPresent()) {
      throw new IllegalArgumentException("register either a JWKS or a jwks_uri, not both (RFC 7591 §2)");
    }
    boolean hasKeys = keys.jwks().isPresent() || keys.jwksUri().isPresent();
    boolean usesKeys = methods.contains(ClientAuthMethod.PRIVATE_KEY_JWT)
      || methods.contains(ClientAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH);
    if (methods.contains(ClientAuthMethod.PRIVATE_KEY_JWT) && !hasKeys) {
      throw new IllegalArgumentException("private_key_jwt needs the client's public keys: a JWKS or a jwks_uri");
    }
    if (hasKeys && !usesKeys) {
      throw new IllegalArgumentException("keys are used only by private_key_jwt and self_signed_tls_client_auth");
    }
    keys.jwks().ifPresent(ClientKeyValidation::requirePublicVerificationKeys);
    keys.jwksUri().ifPresent(ClientKeyValidation::requireFetchable);

    boolean tlsClientAuth = methods.contains(ClientAuthMethod.TLS_CLIENT_AUTH);
    if (tlsClientAuth != keys.tlsIdentity().isPresent()) {
      throw new IllegalArgumentException(tlsClientAuth
        ? "tls_client_auth needs the certificate's subject DN or one subject alternative name"
        : "a certificate subject or SAN is used only by tls_client_auth");
    }
    keys.tlsIdentity().ifPresent(ClientKeyValidation::requireWellFormed);

    boolean selfSigned = methods.contains(ClientAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH);
    if (selfSigned && keys.certificateThumbprints().isEmpty() && !hasKeys) {
      throw new IllegalArgumentException(
        "self_signed_tls_client_auth needs the client's certificates: a certificate file, or a JWKS or jwks_uri with x5c");
    }
    if (!selfSigned && !keys.certificateThumbprints().isEmpty()) {
      throw new IllegalArgumentException("certificate thumbprints are used only by self_signed_tls_client_auth");
    }
    for (String thumbprint : keys.certificateThumbprints()) {
      if (!THUMBPRINT.matcher(thumbprint).matches()) {
        throw new IllegalArgumentException("'" + thumbprint + "' is not a base64url SHA-256 thumbprint");
      }
    }
  }

  private static void requirePublicVerificationKeys(JWKSet jwks) {
    if (jwks.getKeys().isEmpty()) {
      throw new IllegalArgumentException("the JWKS has no keys");
    }
    for (JWK key : jwks.getKeys()) {
      String name = key.getKeyID() == null ? "a key" : "key " + key.getKeyID();
      if (key.isPrivate()) {
        throw new IllegalArgumentException(name + " holds private key material: register public keys only");
      }
      if (!PublicKeyVerifiers.acceptable(key)) {
        throw new IllegalArgumentException(name
          + " is not an RSA key of 2048 to 4096 bits with exponent 65537, a P-256/384/521 or an Ed25519 key");
      }
    }
  }

  /** https; http only on the loopback interface (a key server in a test or on the same host). */
  private static void requireFetchable(URI uri) {
    if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("jwks_uri must be an absolute URL without a fragment");
    }
    if ("https".equals(uri.getScheme())) {
      return;
    }
    if (!"http".equals(uri.getScheme()) || !isLoopback(uri.getHost())) {
      throw new IllegalArgumentException("jwks_uri must be https (http only for localhost)");
    }
  }

  private static boolean isLoopback(String host) {
    String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (literal.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!IP_LITERAL.matcher(literal).matches()) {
      return false;
    }
    try {
      return InetAddress.getByName(literal).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static void requireWellFormed(TlsClientIdentity identity) {
    String value = identity.value();
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(identity.kind().value() + " must not be empty");
    }
    switch (identity.kind()) {
      case SUBJECT_DN -> {
        try {
          new X500Principal(value);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("'" + value + "' is not a distinguished name (RFC 4514)");
        }
      }
      case SAN_IP -> {
        if (!IP_LITERAL.matcher(value).matches()) {
          throw new IllegalArgumentException("'" + value + "' is not an IP address");
        }
      }
      case SAN_URI -> {
        if (!URI.create(value).isAbsolute()) {
          throw new IllegalArgumentException("'" + value + "' is not an absolute URI");
        }
      }
      default -> {
      }
    }
  }
}
