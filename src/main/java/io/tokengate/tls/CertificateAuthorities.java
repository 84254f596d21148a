package io.tokengate.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The certificate authorities whose client certificates {@code tls_client_auth} (RFC 8705 §2.1) accepts: a chain is
 * trusted when a PKIX path leads from its client certificate to one of them, and the client certificate may be used
 * for TLS client authentication.
 */
public final class CertificateAuthorities {

  private static final Pattern PEM_CERTIFICATE =
    Pattern.compile("-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]*)-----END CERTIFICATE-----");
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

  private static final CertificateAuthorities NONE = new CertificateAuthorities(Set.of());

  private final Set<TrustAnchor> anchors;

  private CertificateAuthorities(Set<TrustAnchor> anchors) {
    this.anchors = anchors;
  }

  /**
   * Reads every {@code CERTIFICATE} block of a PEM file (other blocks and text between them are skipped). It blocks
   * on the file, so it belongs at start-up, off the event loop.
   *
   * @throws IllegalArgumentException when the file cannot be read, holds no certificate or a broken one
   */
  public static CertificateAuthorities load(Path pemFile) {
    String pem;
    try {
      // Latin-1 decodes any bytes, so a DER or otherwise binary file is reported as holding no PEM certificate.
      pem = new String(Files.readAllBytes(pemFile), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the CA certificates file " + pemFile + ": " + e);
    }
    List<X509Certificate> certificates = new ArrayList<>();
    Matcher block = PEM_CERTIFICATE.matcher(pem);
    while (block.find()) {
      certificates.add(certificate(block.group(1), certificates.size() + 1, pemFile));
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("the CA certificates file " + pemFile + " holds no PEM CERTIFICATE block");
    }
    return new CertificateAuthorities(certificates.stream()
      .map(certificate -> new TrustAnchor(certificate, null))
      .collect(Collectors.toUnmodifiableSet()));
  }

  /** Trusts no chain: for a server where {@code tls_client_auth} is not configured. */
  public static CertificateAuthorities none() {
    return NONE;
  }

  /**
   * Never throws: a chain that is malformed, expired at {@code at}, does not lead to one of the authorities, or ends in
   * a certificate not meant for client authentication is simply not trusted. Revocation is not checked.
   *
   * @param chainLeafFirst the client certificate, then any intermediates that may lead to an authority
   */
  public boolean trusts(List<X509Certificate> chainLeafFirst, Instant at) {
    if (anchors.isEmpty() || chainLeafFirst == null || chainLeafFirst.isEmpty() || at == null
      || chainLeafFirst.stream().anyMatch(Objects::isNull)) {
      return false;
    }
    X509Certificate leaf = chainLeafFirst.get(0);
    try {
      return allowsClientAuth(leaf) && buildsPath(leaf, chainLeafFirst, at);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private boolean buildsPath(X509Certificate leaf, List<X509Certificate> candidates, Instant at)
    throws GeneralSecurityException {
    X509CertSelector target = new X509CertSelector();
    target.setCertificate(leaf);
    PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
    parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(candidates)));
    parameters.setDate(Date.from(at));
    parameters.setRevocationEnabled(false);
    // The builder throws CertPathBuilderException when no valid path exists.
    CertPathBuilder.getInstance("PKIX").build(parameters);
    return true;
  }

  /** RFC 5280 §4.2.1.12: without the extension any use is allowed; with it, client authentication must be listed. */
  private static boolean allowsClientAuth(X509Certificate leaf) throws CertificateException {
    List<String> usages = leaf.getExtendedKeyUsage();
    return usages == null || usages.contains(CLIENT_AUTH) || usages.contains(ANY_EXTENDED_KEY_USAGE);
  }

  private static X509Certificate certificate(String base64, int number, Path pemFile) {
    try {
      byte[] der = Base64.getMimeDecoder().decode(base64);
      return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
        "certificate " + number + " in the CA certificates file " + pemFile + " is not a valid X.509 certificate");
    }
  }

  @Override
  public String toString() {
    return anchors.stream()
      .map(anchor -> anchor.getTrustedCert().getSubjectX500Principal().getName())
      .collect(Collectors.joining("; ", "CertificateAuthorities[", "]"));
  }
}
