package io.tokengate.cli;

import io.tokengate.client.ClientAuthMethod;
import io.tokengate.client.ClientKeys;
import io.tokengate.client.TlsClientIdentity;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** How a client authenticates, as {@code client create} and {@code client update} both take it. */
final class ClientCredentialOptions {

  @Option(names = "--auth-method", split = ",", paramLabel = "METHOD", description = {
    "How it authenticates (repeatable): client_secret_basic, client_secret_post, client_secret_jwt, "
      + "private_key_jwt, tls_client_auth, self_signed_tls_client_auth. Default: client_secret_basic,client_secret_post."})
  List<String> authMethods;

  @Option(names = "--jwks-file", paramLabel = "FILE",
    description = "Its public keys (a JWKS), for private_key_jwt or self_signed_tls_client_auth (x5c).")
  Path jwksFile;

  @Option(names = "--jwks-uri", paramLabel = "URL", description = "Where its public keys are published (https).")
  URI jwksUri;

  @Option(names = "--tls-subject", paramLabel = "DN",
    description = "tls_client_auth: its certificate's subject DN, e.g. \"CN=app,O=Example\".")
  String tlsSubject;

  @Option(names = "--tls-san", paramLabel = "TYPE=VALUE",
    description = "tls_client_auth: a subject alternative name instead, TYPE one of dns, uri, ip, email.")
  String tlsSan;

  @Option(names = "--certificate-file", paramLabel = "PEM",
    description = "self_signed_tls_client_auth: a certificate it presents (repeatable).")
  List<Path> certificateFiles = new ArrayList<>();

  /** Whether any credential option was given (update changes the credential only then). */
  boolean given() {
    return authMethods != null || jwksFile != null || jwksUri != null || tlsSubject != null || tlsSan != null
      || !certificateFiles.isEmpty();
  }

  /** The methods given, if any. */
  Optional<Set<ClientAuthMethod>> methods() {
    if (authMethods == null || authMethods.isEmpty()) {
      return Optional.empty();
    }
    Set<ClientAuthMethod> methods = EnumSet.noneOf(ClientAuthMethod.class);
    for (String name : authMethods) {
      methods.add(ClientAuthMethod.fromValue(name).orElseThrow(() ->
        new IllegalArgumentException("unknown authentication method " + name)));
    }
    return Optional.of(methods);
  }

  /** The key material given, read from its files. */
  ClientKeys keys() throws IOException {
    return ClientKeyFiles.read(jwksFile, jwksUri, tlsIdentity(), certificateFiles);
  }

  Optional<TlsClientIdentity> tlsIdentity() {
    if (tlsSubject != null && tlsSan != null) {
      throw new IllegalArgumentException("give either --tls-subject or --tls-san (RFC 8705 §2.1.2: exactly one)");
    }
    if (tlsSubject != null) {
      return Optional.of(new TlsClientIdentity(TlsClientIdentity.Kind.SUBJECT_DN, tlsSubject));
    }
    if (tlsSan == null) {
      return Optional.empty();
    }
    int equals = tlsSan.indexOf('=');
    Optional<TlsClientIdentity.Kind> kind = equals < 0 ? Optional.empty()
      : TlsClientIdentity.Kind.fromValue("san_" + tlsSan.substring(0, equals).toLowerCase(Locale.ROOT));
    return Optional.of(new TlsClientIdentity(kind.orElseThrow(() -> new IllegalArgumentException(
      "--tls-san must be TYPE=VALUE with TYPE one of dns, uri, ip, email")), tlsSan.substring(equals + 1)));
  }
}
