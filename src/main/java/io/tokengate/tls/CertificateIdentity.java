package io.tokengate.tls;

import io.tokengate.crypto.Digests;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * Whether a client certificate is the one a client registered (RFC 8705): by subject DN or subject alternative name
 * for {@code tls_client_auth} (§2.1.2), by thumbprint for {@code self_signed_tls_client_auth} (§2.2). The thumbprint
 * is also the {@code x5t#S256} confirmation of certificate-bound tokens (§3.1).
 */
public final class CertificateIdentity {

  /** The subject alternative name a client registered, one per {@code tls_client_auth_san_*} metadata name. */
  public enum SanType {
    DNS("dns", 2),
    URI("uri", 6),
    IP("ip", 7),
    EMAIL("email", 1);

    private final String configName;
    // The GeneralName choice (RFC 5280 §4.2.1.6), as X509Certificate.getSubjectAlternativeNames reports it.
    private final int generalNameTag;

    SanType(String configName, int generalNameTag) {
      this.configName = configName;
      this.generalNameTag = generalNameTag;
    }

    public String configName() {
      return configName;
    }

    /** The client metadata name of RFC 8705 §2.1.2, e.g. {@code tls_client_auth_san_dns}. */
    public String metadataName() {
      return "tls_client_auth_san_" + configName;
    }

    /** @param name "dns", "uri", "ip" or "email", in any case */
    public static Optional<SanType> fromConfigName(String name) {
      return Arrays.stream(values()).filter(type -> type.configName.equalsIgnoreCase(name)).findFirst();
    }
  }

  private CertificateIdentity() {
  }

  /** RFC 8705 §3.1: base64url, without padding, of the SHA-256 hash of the DER certificate. */
  public static String thumbprint(X509Certificate certificate) {
    try {
      return thumbprint(certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot hash a certificate", e);
    }
  }

  /** The same, of a certificate's DER encoding (an {@code x5c} entry). */
  public static String thumbprint(byte[] der) {
    return Digests.sha256Base64Url(der);
  }

  /** RFC 8705 §2.1.2 {@code tls_client_auth_subject_dn}: compared as X.500 names, not as strings. */
  public static boolean subjectMatches(X509Certificate certificate, String registeredDn) {
    if (registeredDn == null) {
      return false;
    }
    X500Principal registered;
    try {
      registered = new X500Principal(registeredDn);
    } catch (IllegalArgumentException e) {
      return false;
    }
    // X500Principal.equals compares the canonical forms: case, spacing and string encoding do not matter.
    return certificate.getSubjectX500Principal().equals(registered);
  }

  /** True when any subject alternative name of {@code type} in the certificate is the registered value. */
  public static boolean sanMatches(X509Certificate certificate, SanType type, String registeredValue) {
    if (type == null || registeredValue == null) {
      return false;
    }
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return false;
    }
    if (names == null) {
      return false;
    }
    return names.stream()
      .filter(name -> Integer.valueOf(type.generalNameTag).equals(name.get(0)) && name.get(1) instanceof String)
      .anyMatch(name -> sameName(type, (String) name.get(1), registeredValue));
  }

  /**
   * RFC 8705 §2.2 {@code self_signed_tls_client_auth}: the certificate is one of those the client registered. Every
   * registered thumbprint is compared in full, so the time taken does not tell how close a guess came.
   */
  public static boolean isSelfSignedMatch(X509Certificate certificate, Collection<String> registeredThumbprints) {
    if (registeredThumbprints == null) {
      return false;
    }
    byte[] presented = thumbprint(certificate).getBytes(StandardCharsets.US_ASCII);
    boolean found = false;
    for (String registered : registeredThumbprints) {
      if (registered != null) {
        found |= MessageDigest.isEqual(presented, registered.getBytes(StandardCharsets.US_ASCII));
      }
    }
    return found;
  }

  private static boolean sameName(SanType type, String inCertificate, String registered) {
    return switch (type) {
      // Exact names only: a registered name never matches through a wildcard in the certificate or vice versa.
      case DNS -> asciiEqualsIgnoreCase(inCertificate, registered);
      case URI -> inCertificate.equals(registered);
      case IP -> sameAddress(inCertificate, registered);
      case EMAIL -> sameMailbox(inCertificate, registered);
    };
  }

  private static boolean sameAddress(String inCertificate, String registered) {
    Optional<byte[]> certificateAddress = IpAddressLiteral.parse(inCertificate);
    Optional<byte[]> registeredAddress = IpAddressLiteral.parse(registered);
    return certificateAddress.isPresent() && registeredAddress.isPresent()
      && Arrays.equals(certificateAddress.get(), registeredAddress.get());
  }

  /** RFC 5321 §2.4: the local part is case-sensitive, the domain is not. */
  private static boolean sameMailbox(String inCertificate, String registered) {
    int certificateAt = inCertificate.lastIndexOf('@');
    int registeredAt = registered.lastIndexOf('@');
    return certificateAt > 0 && registeredAt > 0
      && inCertificate.substring(0, certificateAt).equals(registered.substring(0, registeredAt))
      && asciiEqualsIgnoreCase(inCertificate.substring(certificateAt + 1), registered.substring(registeredAt + 1));
  }

  // String.equalsIgnoreCase would also fold non-ASCII letters (the Kelvin sign equals 'k'); names here are ASCII.
  private static boolean asciiEqualsIgnoreCase(String a, String b) {
    if (a.length() != b.length()) {
      return false;
    }
    for (int i = 0; i < a.length(); i++) {
      if (asciiLower(a.charAt(i)) != asciiLower(b.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static char asciiLower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }
}
