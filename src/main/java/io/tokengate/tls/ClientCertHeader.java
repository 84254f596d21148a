package io.tokengate.tls;

import io.tokengate.oauth.OAuthException;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the client certificate that a TLS-terminating proxy forwards in the {@code Client-Cert} and
 * {@code Client-Cert-Chain} headers of RFC 9440. Whether the sender is a proxy to believe is decided elsewhere
 * ({@link TrustedProxies}); this class only turns the header values into certificates.
 */
public final class ClientCertHeader {

  public static final String CLIENT_CERT = "Client-Cert";
  public static final String CLIENT_CERT_CHAIN = "Client-Cert-Chain";

  /** Far more than a chain of real certificates needs; it bounds the work a bad header can cause. */
  static final int MAX_HEADER_LENGTH = 16 * 1024;
  static final int MAX_CHAIN_CERTIFICATES = 10;

  private ClientCertHeader() {
  }

  /**
   * @param clientCert      the {@code Client-Cert} header value (an RFC 8941 Byte Sequence), or null
   * @param clientCertChain the {@code Client-Cert-Chain} header value (an RFC 8941 List of Byte Sequences), or null;
   *                        several header lines must be joined with ", " first (RFC 9110 §5.3)
   * @return the client certificate followed by the chain certificates in the order sent; empty when neither header
   *     was sent
   * @throws OAuthException {@code invalid_request} when either value is malformed, or the chain comes without the
   *                        client certificate
   */
  public static List<X509Certificate> parse(String clientCert, String clientCertChain) {
    boolean hasChain = clientCertChain != null && !clientCertChain.isBlank();
    if (clientCert == null || clientCert.isBlank()) {
      // RFC 9440 §2.3: the chain is never sent without the certificate it completes.
      if (hasChain) {
        throw malformed(CLIENT_CERT_CHAIN);
      }
      return List.of();
    }
    List<X509Certificate> certificates = new ArrayList<>();
    certificates.add(certificate(leafDer(clientCert), CLIENT_CERT));
    if (hasChain) {
      for (byte[] der : chainDer(clientCertChain)) {
        certificates.add(certificate(der, CLIENT_CERT_CHAIN));
      }
    }
    return List.copyOf(certificates);
  }

  private static byte[] leafDer(String value) {
    if (value.length() > MAX_HEADER_LENGTH) {
      throw malformed(CLIENT_CERT);
    }
    try {
      return ByteSequenceFields.item(value);
    } catch (IllegalArgumentException e) {
      throw malformed(CLIENT_CERT);
    }
  }

  private static List<byte[]> chainDer(String value) {
    if (value.length() > MAX_HEADER_LENGTH) {
      throw malformed(CLIENT_CERT_CHAIN);
    }
    try {
      return ByteSequenceFields.list(value, MAX_CHAIN_CERTIFICATES);
    } catch (IllegalArgumentException e) {
      throw malformed(CLIENT_CERT_CHAIN);
    }
  }

  private static X509Certificate certificate(byte[] der, String header) {
    X509Certificate certificate;
    byte[] encoded;
    try {
      certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
      encoded = certificate.getEncoded();
    } catch (CertificateException | RuntimeException e) {
      throw malformed(header);
    }
    // The factory also takes PEM text and ignores bytes after the certificate; only exact DER is accepted.
    if (!Arrays.equals(encoded, der)) {
      throw malformed(header);
    }
    return certificate;
  }

  private static OAuthException malformed(String header) {
    return OAuthException.invalidRequest("malformed " + header + " header");
  }
}
