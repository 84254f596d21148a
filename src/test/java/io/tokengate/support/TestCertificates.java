package io.tokengate.support;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;

/**
 * Certificates made on demand for tests: certificate authorities, intermediates, client and server certificates
 * (EC P-256 unless other keys are given), and the PEM files and RFC 9440 header values that carry them.
 *
 * <pre>{@code
 * Issued ca = TestCertificates.ca("CN=Test CA");
 * Issued client = TestCertificates.leaf("CN=client-1").dns("client.example").clientAuth().signedBy(ca);
 * }</pre>
 */
public final class TestCertificates {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration LIFETIME = Duration.ofDays(1);

  /** A certificate and the key pair of its subject. */
  public record Issued(X509Certificate certificate, KeyPair keys) {

    public String clientCertHeader() {
      return toClientCertHeader(certificate);
    }
  }

  private TestCertificates() {
  }

  /** A self-signed certificate authority. */
  public static Issued ca(String subjectDn) {
    return new Builder(subjectDn).authority().selfSigned();
  }

  /** An intermediate certificate authority issued by {@code issuer}. */
  public static Issued intermediate(Issued issuer, String subjectDn) {
    return new Builder(subjectDn).authority().signedBy(issuer);
  }

  /** A TLS server certificate for {@code localhost} and {@code 127.0.0.1}. */
  public static Issued server(Issued issuer) {
    return leaf("CN=localhost").dns("localhost").ip("127.0.0.1").serverAuth().signedBy(issuer);
  }

  /** Starts an end-entity certificate: valid from an hour ago for a day, no SAN and no extended key usage. */
  public static Builder leaf(String subjectDn) {
    return new Builder(subjectDn);
  }

  public static KeyPair ecKeys() {
    return generate("EC", new ECGenParameterSpec("secp256r1"));
  }

  /** RSA 2048: slower to make than EC, for the tests that need an RSA key. */
  public static KeyPair rsaKeys() {
    return generate("RSA", new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4));
  }

  /** RFC 9440 §2.2: the {@code Client-Cert} value, the DER certificate as an RFC 8941 Byte Sequence. */
  public static String toClientCertHeader(X509Certificate certificate) {
    return ":" + Base64.getEncoder().encodeToString(der(certificate)) + ":";
  }

  /** RFC 9440 §2.3: the {@code Client-Cert-Chain} value, a List of Byte Sequences. */
  public static String toClientCertChainHeader(X509Certificate... chain) {
    return Arrays.stream(chain).map(TestCertificates::toClientCertHeader).collect(Collectors.joining(", "));
  }

  /** Writes the certificates, in order, as PEM {@code CERTIFICATE} blocks. */
  public static Path writeCertificates(Path file, X509Certificate... certificates) {
    StringBuilder pem = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      pem.append(pem("CERTIFICATE", der(certificate)));
    }
    return write(file, pem.toString());
  }

  /** Writes the key as a PKCS#8 PEM {@code PRIVATE KEY} block, the form Vert.x {@code PemKeyCertOptions} reads. */
  public static Path writePrivateKey(Path file, PrivateKey key) {
    if (!"PKCS#8".equals(key.getFormat())) {
      throw new IllegalArgumentException("not a PKCS#8 key: " + key.getFormat());
    }
    return write(file, pem("PRIVATE KEY", key.getEncoded()));
  }

  /** A certificate under construction; {@link #signedBy} or {@link #selfSigned} makes it. */
  public static final class Builder {

    private final String subjectDn;
    private final List<GeneralName> alternativeNames = new ArrayList<>();
    private final List<KeyPurposeId> keyPurposes = new ArrayList<>();
    private boolean authority;
    private KeyPair keys;
    private Instant notBefore = Instant.now().minus(Duration.ofHours(1));
    private Instant notAfter = notBefore.plus(LIFETIME);

    private Builder(String subjectDn) {
      this.subjectDn = subjectDn;
    }

    public Builder dns(String name) {
      return alternativeName(GeneralName.dNSName, name);
    }

    public Builder uri(String uri) {
      return alternativeName(GeneralName.uniformResourceIdentifier, uri);
    }

    /** @param address an IPv4 or IPv6 literal */
    public Builder ip(String address) {
      return alternativeName(GeneralName.iPAddress, address);
    }

    public Builder email(String mailbox) {
      return alternativeName(GeneralName.rfc822Name, mailbox);
    }

    public Builder clientAuth() {
      return keyPurpose(KeyPurposeId.id_kp_clientAuth);
    }

    public Builder serverAuth() {
      return keyPurpose(KeyPurposeId.id_kp_serverAuth);
    }

    public Builder anyExtendedKeyUsage() {
      return keyPurpose(KeyPurposeId.anyExtendedKeyUsage);
    }

    public Builder validity(Instant from, Instant until) {
      this.notBefore = from;
      this.notAfter = until;
      return this;
    }

    /** Valid for a day that ended a day ago. */
    public Builder expired() {
      Instant start = Instant.now().minus(Duration.ofDays(2));
      return validity(start, start.plus(LIFETIME));
    }

    /** Other keys than a fresh EC P-256 pair, e.g. {@link TestCertificates#rsaKeys()}. */
    public Builder keys(KeyPair keys) {
      this.keys = keys;
      return this;
    }

    public Issued signedBy(Issued issuer) {
      return issue(issuer.certificate().getSubjectX500Principal(), issuer.keys());
    }

    public Issued selfSigned() {
      if (keys == null) {
        keys = ecKeys();
      }
      return issue(new X500Principal(subjectDn), keys);
    }

    private Builder authority() {
      authority = true;
      return this;
    }

    private Builder alternativeName(int tag, String name) {
      alternativeNames.add(new GeneralName(tag, name));
      return this;
    }

    private Builder keyPurpose(KeyPurposeId purpose) {
      keyPurposes.add(purpose);
      return this;
    }

    private Issued issue(X500Principal issuer, KeyPair issuerKeys) {
      KeyPair subjectKeys = keys == null ? ecKeys() : keys;
      try {
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder certificate = new JcaX509v3CertificateBuilder(issuer, serialNumber(),
          Date.from(notBefore), Date.from(notAfter), new X500Principal(subjectDn), subjectKeys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(authority))
          .addExtension(Extension.keyUsage, true,
            new KeyUsage(authority ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature))
          .addExtension(Extension.subjectKeyIdentifier, false,
            extensions.createSubjectKeyIdentifier(subjectKeys.getPublic()))
          .addExtension(Extension.authorityKeyIdentifier, false,
            extensions.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
        if (!alternativeNames.isEmpty()) {
          certificate.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(alternativeNames.toArray(GeneralName[]::new)));
        }
        if (!keyPurposes.isEmpty()) {
          certificate.addExtension(Extension.extendedKeyUsage, false,
            new ExtendedKeyUsage(keyPurposes.toArray(KeyPurposeId[]::new)));
        }
        ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm(issuerKeys)).build(issuerKeys.getPrivate());
        return new Issued(new JcaX509CertificateConverter().getCertificate(certificate.build(signer)), subjectKeys);
      } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
        throw new IllegalStateException("cannot make a test certificate for " + subjectDn, e);
      }
    }
  }

  private static BigInteger serialNumber() {
    return new BigInteger(64, RANDOM).add(BigInteger.ONE);
  }

  private static String signatureAlgorithm(KeyPair signer) {
    return "EC".equals(signer.getPrivate().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
  }

  private static KeyPair generate(String algorithm, AlgorithmParameterSpec parameters) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      generator.initialize(parameters);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] der(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
  }

  private static Path write(Path file, String text) {
    try {
      return Files.writeString(file, text, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
