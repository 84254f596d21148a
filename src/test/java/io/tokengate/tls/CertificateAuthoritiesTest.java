package io.tokengate.tls;

import io.tokengate.support.TestCertificates.Issued;
import io.tokengate.support.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CertificateAuthoritiesTest {

  private static final Instant NOW = Instant.now();

  @TempDir
  static Path directory;

  private static Issued rootCa;
  private static Issued intermediateCa;
  private static Issued otherCa;
  private static CertificateAuthorities authorities;

  @BeforeAll
  static void loadAuthorities() {
    rootCa = TestCertificates.ca("CN=Root CA, O=tokengate tests");
    intermediateCa = TestCertificates.intermediate(rootCa, "CN=Intermediate CA, O=tokengate tests");
    otherCa = TestCertificates.ca("CN=Other CA");
    Issued secondRoot = TestCertificates.ca("CN=Second Root CA");
    authorities = CertificateAuthorities.load(
      TestCertificates.writeCertificates(directory.resolve("cas.pem"), secondRoot.certificate(), rootCa.certificate()));
  }

  @Test
  void clientCertificateIssuedByTheCaIsTrusted() {
    Issued client = TestCertificates.leaf("CN=client").clientAuth().signedBy(rootCa);
    assertTrue(authorities.trusts(List.of(client.certificate()), NOW));
  }

  @Test
  void clientCertificateIssuedThroughAnIntermediateIsTrustedWhenTheIntermediateIsSent() {
    Issued client = TestCertificates.leaf("CN=client").clientAuth().signedBy(intermediateCa);
    assertTrue(authorities.trusts(List.of(client.certificate(), intermediateCa.certificate()), NOW));
    assertTrue(authorities.trusts(List.of(client.certificate(), intermediateCa.certificate(), rootCa.certificate()), NOW));
  }

  @Test
  void clientCertificateIssuedThroughAnIntermediateIsNotTrustedWithoutIt() {
    Issued client = TestCertificates.leaf("CN=client").clientAuth().signedBy(intermediateCa);
    assertFalse(authorities.trusts(List.of(client.certificate()), NOW));
  }

  @Test
  void unrelatedCertificatesInTheChainDoNotMatter() {
    Issued client = TestCertificates.leaf("CN=client").clientAuth().signedBy(intermediateCa);
    assertTrue(authorities.trusts(
      List.of(client.certificate(), otherCa.certificate(), intermediateCa.certificate()), NOW));
  }

  @Test
  void clientCertificateOfAnotherCaIsNotTrusted() {
    Issued client = TestCertificates.leaf("CN=client").clientAuth().signedBy(otherCa);
    assertFalse(authorities.trusts(List.of(client.certificate()), NOW));
    assertFalse(authorities.trusts(List.of(client.certificate(), otherCa.certificate()), NOW));
  }

  @Test
  void impostorCaWithTheSameNameIsNotTrusted() {
    Issued impostor = TestCertificates.ca("CN=Root CA, O=tokengate tests");
    Issued client = TestCertificates.leaf("CN=client").clientAuth().signedBy(impostor);
    assertFalse(authorities.trusts(List.of(client.certificate(), impostor.certificate()), NOW));
  }

  @Test
  void selfSignedClientCertificateIsNotTrusted() {
    Issued client = TestCertificates.leaf("CN=client").clientAuth().selfSigned();
    assertFalse(authorities.trusts(List.of(client.certificate()), NOW));
  }

  @Test
  void expiredClientCertificateIsNotTrusted() {
    Issued client = TestCertificates.leaf("CN=client").clientAuth().expired().signedBy(rootCa);
    assertFalse(authorities.trusts(List.of(client.certificate()), NOW));
  }

  @Test
  void validityIsJudgedAtTheGivenInstant() {
    Issued client = TestCertificates.leaf("CN=client").clientAuth()
      .validity(NOW.plus(Duration.ofMinutes(5)), NOW.plus(Duration.ofMinutes(20))).signedBy(rootCa);
    assertFalse(authorities.trusts(List.of(client.certificate()), NOW));
    assertTrue(authorities.trusts(List.of(client.certificate()), NOW.plus(Duration.ofMinutes(10))));
    assertFalse(authorities.trusts(List.of(client.certificate()), NOW.plus(Duration.ofMinutes(30))));
  }

  @Test
  void certificateForServersOnlyIsNotTrustedForClientAuthentication() {
    Issued server = TestCertificates.leaf("CN=client").serverAuth().signedBy(rootCa);
    assertFalse(authorities.trusts(List.of(server.certificate()), NOW));
  }

  @Test
  void extendedKeyUsageThatAllowsClientAuthenticationIsTrusted() {
    Issued both = TestCertificates.leaf("CN=client").serverAuth().clientAuth().signedBy(rootCa);
    Issued any = TestCertificates.leaf("CN=client").anyExtendedKeyUsage().signedBy(rootCa);
    Issued unrestricted = TestCertificates.leaf("CN=client").signedBy(rootCa);
    assertTrue(authorities.trusts(List.of(both.certificate()), NOW));
    assertTrue(authorities.trusts(List.of(any.certificate()), NOW));
    assertTrue(authorities.trusts(List.of(unrestricted.certificate()), NOW));
  }

  @Test
  void clientCertificateSignedByAnEndEntityIsNotTrusted() {
    Issued endEntity = TestCertificates.leaf("CN=not a CA").signedBy(rootCa);
    Issued client = TestCertificates.leaf("CN=client").clientAuth().signedBy(endEntity);
    assertFalse(authorities.trusts(List.of(client.certificate(), endEntity.certificate()), NOW));
  }

  @Test
  void noneAndEmptyInputTrustNothing() {
    Issued client = TestCertificates.leaf("CN=client").clientAuth().signedBy(rootCa);
    assertFalse(CertificateAuthorities.none().trusts(List.of(client.certificate()), NOW));
    assertFalse(authorities.trusts(List.of(), NOW));
    assertFalse(authorities.trusts(null, NOW));
    assertFalse(authorities.trusts(List.of(client.certificate()), null));
    List<X509Certificate> withNull = new ArrayList<>();
    withNull.add(client.certificate());
    withNull.add(null);
    assertFalse(authorities.trusts(withNull, NOW));
  }

  @Test
  void bundleMayHoldTextAndOtherBlocksBetweenCertificates() throws IOException {
    Path bundle = directory.resolve("annotated.pem");
    Path rootFile = TestCertificates.writeCertificates(directory.resolve("root.pem"), rootCa.certificate());
    Path keyFile = TestCertificates.writePrivateKey(directory.resolve("key.pem"), otherCa.keys().getPrivate());
    String root = Files.readString(rootFile);
    String key = Files.readString(keyFile);
    Files.writeString(bundle, "subject=CN=Root CA\n" + root + "\n" + key);
    Issued client = TestCertificates.leaf("CN=client").clientAuth().signedBy(rootCa);
    assertTrue(CertificateAuthorities.load(bundle).trusts(List.of(client.certificate()), NOW));
  }

  @Test
  void missingFileIsRefusedByName() {
    Path missing = directory.resolve("missing.pem");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CertificateAuthorities.load(missing));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void fileWithoutCertificatesIsRefused() throws IOException, CertificateEncodingException {
    Path keyOnly = TestCertificates.writePrivateKey(directory.resolve("only-key.pem"), otherCa.keys().getPrivate());
    Path binary = Files.write(directory.resolve("ca.der"), rootCa.certificate().getEncoded());
    Path empty = Files.writeString(directory.resolve("empty.pem"), "");
    for (Path file : List.of(keyOnly, binary, empty)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CertificateAuthorities.load(file));
      assertTrue(e.getMessage().contains("no PEM CERTIFICATE"), e.getMessage());
    }
  }

  @Test
  void brokenCertificateBlockIsRefused() throws IOException {
    Path broken = Files.writeString(directory.resolve("broken.pem"),
      "-----BEGIN CERTIFICATE-----\nTUlJQg==\n-----END CERTIFICATE-----\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CertificateAuthorities.load(broken));
    assertTrue(e.getMessage().contains("certificate 1"), e.getMessage());
  }
}
