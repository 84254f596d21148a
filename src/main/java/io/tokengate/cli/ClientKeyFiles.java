package io.tokengate.cli;

import com.nimbusds.jose.jwk.JWKSet;
import io.tokengate.client.ClientKeys;
import io.tokengate.client.TlsClientIdentity;
import io.tokengate.tls.CertificateIdentity;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the key material named on {@code client create}: a JWKS file and PEM certificates. */
final class ClientKeyFiles {

  private ClientKeyFiles() {
  }

  static ClientKeys read(Path jwksFile, URI jwksUri, Optional<TlsClientIdentity> tlsIdentity,
                         List<Path> certificateFiles) throws IOException {
    Optional<JWKSet> jwks = Optional.empty();
    if (jwksFile != null) {
      try {
        jwks = Optional.of(JWKSet.parse(Files.readString(jwksFile)));
      } catch (ParseException e) {
        throw new IllegalArgumentException(jwksFile + " is not a JWKS: " + e.getMessage());
      }
    }
    List<String> thumbprints = new ArrayList<>();
    for (Path file : certificateFiles) {
      for (X509Certificate certificate : certificates(file)) {
        thumbprints.add(CertificateIdentity.thumbprint(certificate));
      }
    }
    return new ClientKeys(Optional.empty(), jwks, Optional.ofNullable(jwksUri), tlsIdentity, List.copyOf(thumbprints));
  }

  private static List<X509Certificate> certificates(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> certificates = new ArrayList<>();
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certificates.add((X509Certificate) certificate);
      }
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException(file + " holds no certificate");
      }
      return certificates;
    } catch (CertificateException e) {
      throw new IllegalArgumentException(file + " is not a PEM certificate: " + e.getMessage());
    }
  }
}
