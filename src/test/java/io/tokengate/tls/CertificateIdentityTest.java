package io.tokengate.tls;

import io.tokengate.support.TestCertificates;
import io.tokengate.tls.CertificateIdentity.SanType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CertificateIdentityTest {

  /** Made with openssl req -x509; its thumbprint below comes from openssl dgst -sha256 and basenc --base64url. */
  private static final String FIXTURE_PEM = """
    -----BEGIN CERTIFICATE-----
    MIIBkTCCATegAwIBAgIUJSgE5HzrIsg0EzzE7wNt7ZvJQYYwCgYIKoZIzj0EAwIw
    HTEbMBkGA1UEAwwSdGh1bWJwcmludCBmaXh0dXJlMCAXDTI2MTEyNzA0NDY0NloY
    DzIxMjYxMTAzMDQ0NjQ2WjAdMRswGQYDVQQDDBJ0aHVtYnByaW50IGZpeHR1cmUw
    WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASaNuSJ2k0wMnsFr0rrI674FM/XMlNB
    xbR5dkLbnCnsApXkS5Q4HtGcYFTqz5+24exU4LbI98WDhYEA/MBOizQIo1MwUTAd
    BgNVHQ4EFgQUHGER/dA+7RLANHiHiPUPR+KUwfwwHwYDVR0jBBgwFoAUHGER/dA+
    7RLANHiHiPUPR+KUwfwwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBF
    AiEAn3gFQImbFTkGSl8DuhgBzshEYFQZp6YhtW/s6Ef03i0CIE0SyI79jd1wATNw
    1nEspQ6SALPWHkUkmzdgvoBw+nWS
    -----END CERTIFICATE-----
    """;
  private static final String FIXTURE_THUMBPRINT = "HyzLHG0GKcpkOGrsfl3egsjnMccawHkX10TD1hDeCoA";

  @Test
  void thumbprintIsTheBase64UrlSha256OfTheDerCertificate() throws CertificateException {
    X509Certificate fixture = (X509Certificate) CertificateFactory.getInstance("X.509")
      .generateCertificate(new ByteArrayInputStream(FIXTURE_PEM.getBytes(StandardCharsets.US_ASCII)));
    assertEquals(FIXTURE_THUMBPRINT, CertificateIdentity.thumbprint(fixture));
  }

  @Test
  void thumbprintsOfDifferentCertificatesDiffer() {
    X509Certificate one = TestCertificates.leaf("CN=same").selfSigned().certificate();
    X509Certificate other = TestCertificates.leaf("CN=same").selfSigned().certificate();
    assertEquals(43, CertificateIdentity.thumbprint(one).length());
    assertFalse(CertificateIdentity.thumbprint(one).equals(CertificateIdentity.thumbprint(other)));
  }

  @Test
  void subjectMatchesRegardlessOfCaseAndSpacing() {
    X509Certificate certificate = TestCertificates.leaf("CN=Client One, O=Example Corp, C=DE").selfSigned().certificate();
    assertTrue(CertificateIdentity.subjectMatches(certificate, "CN=Client One, O=Example Corp, C=DE"));
    assertTrue(CertificateIdentity.subjectMatches(certificate, "cn=client one,o=example corp,c=de"));
    assertTrue(CertificateIdentity.subjectMatches(certificate, "CN=Client One,O=Example Corp,C=DE"));
    assertTrue(CertificateIdentity.subjectMatches(certificate, "2.5.4.3=Client One, o=Example  Corp , C=DE"));
  }

  @Test
  void subjectWithAnotherValueOrderOrAttributeDoesNotMatch() {
    X509Certificate certificate = TestCertificates.leaf("CN=a, O=b").selfSigned().certificate();
    assertTrue(CertificateIdentity.subjectMatches(certificate, "cn=a,o=b"));
    assertFalse(CertificateIdentity.subjectMatches(certificate, "CN=a, O=c"));
    assertFalse(CertificateIdentity.subjectMatches(certificate, "O=b, CN=a"));
    assertFalse(CertificateIdentity.subjectMatches(certificate, "CN=a"));
    assertFalse(CertificateIdentity.subjectMatches(certificate, "CN=a, O=b, C=DE"));
    assertFalse(CertificateIdentity.subjectMatches(certificate, "CN=a+O=b"));
  }

  @Test
  void unparseableRegisteredSubjectDoesNotMatch() {
    X509Certificate certificate = TestCertificates.leaf("CN=a").selfSigned().certificate();
    assertFalse(CertificateIdentity.subjectMatches(certificate, "CN"));
    assertFalse(CertificateIdentity.subjectMatches(certificate, "not a dn"));
    assertFalse(CertificateIdentity.subjectMatches(certificate, "CN=a,"));
    assertFalse(CertificateIdentity.subjectMatches(certificate, null));
  }

  @Test
  void dnsNameMatchesIgnoringCaseButNeverThroughAWildcard() {
    X509Certificate certificate = TestCertificates.leaf("CN=dns").dns("client.example.com").dns("*.example.org")
      .selfSigned().certificate();
    assertTrue(CertificateIdentity.sanMatches(certificate, SanType.DNS, "client.example.com"));
    assertTrue(CertificateIdentity.sanMatches(certificate, SanType.DNS, "Client.EXAMPLE.com"));
    assertTrue(CertificateIdentity.sanMatches(certificate, SanType.DNS, "*.example.org"));
    assertFalse(CertificateIdentity.sanMatches(certificate, SanType.DNS, "a.example.org"));
    assertFalse(CertificateIdentity.sanMatches(certificate, SanType.DNS, "*.example.com"));
    assertFalse(CertificateIdentity.sanMatches(certificate, SanType.DNS, "client.example.com."));
    assertFalse(CertificateIdentity.sanMatches(certificate, SanType.DNS, "example.com"));
  }

  @Test
  void dnsNameFoldsAsciiCaseOnly() {
    X509Certificate certificate = TestCertificates.leaf("CN=dns").dns("k.example").selfSigned().certificate();
    assertFalse(CertificateIdentity.sanMatches(certificate, SanType.DNS, "\u212a.example"));
  }

  @Test
  void uriMatchesExactly() {
    X509Certificate certificate = TestCertificates.leaf("CN=uri").uri("spiffe://example.org/ns/prod/sa/client")
      .selfSigned().certificate();
    assertTrue(CertificateIdentity.sanMatches(certificate, SanType.URI, "spiffe://example.org/ns/prod/sa/client"));
    assertFalse(CertificateIdentity.sanMatches(certificate, SanType.URI, "spiffe://example.org/ns/prod/sa/Client"));
    assertFalse(CertificateIdentity.sanMatches(certificate, SanType.URI, "spiffe://example.org/ns/prod/sa/client/"));
  }

  @Test
  void ipAddressMatchesByValueNotSpelling() {
    X509Certificate certificate = TestCertificates.leaf("CN=ip").ip("192.0.2.7").ip("2001:db8::1").ip("::1")
      .selfSigned().certificate();
    assertTrue(CertificateIdentity.sanMatches(certificate, SanType.IP, "192.0.2.7"));
    assertTrue(CertificateIdentity.sanMatches(certificate, SanType.IP, "2001:DB8:0:0:0:0:0:1"));
    assertTrue(CertificateIdentity.sanMatches(certificate, SanType.IP, "::1"));
    assertTrue(CertificateIdentity.sanMatches(certificate, SanType.IP, "0:0:0:0:0:0:0:1"));
    assertFalse(CertificateIdentity.sanMatches(certificate, SanType.IP, "192.0.2.8"));
    assertFalse(CertificateIdentity.sanMatches(certificate, SanType.IP, "::ffff:192.0.2.7"));
    assertFalse(CertificateIdentity.sanMatches(certificate, SanType.IP, "192.000.2.7"));
    assertFalse(CertificateIdentity.sanMatches(certificate, SanType.IP, "localhost"));
  }

  @Test
  void emailMatchesWithACaseSensitiveLocalPartAndACaseInsensitiveDomain() {
    X509Certificate certificate = TestCertificates.leaf("CN=mail").email("Client.One@Example.com").selfSigned()
      .certificate();
    assertTrue(CertificateIdentity.sanMatches(certificate, SanType.EMAIL, "Client.One@Example.com"));
    assertTrue(CertificateIdentity.sanMatches(certificate, SanType.EMAIL, "Client.One@example.COM"));
    assertFalse(CertificateIdentity.sanMatches(certificate, SanType.EMAIL, "client.one@Example.com"));
    assertFalse(CertificateIdentity.sanMatches(certificate, SanType.EMAIL, "Example.com"));
    assertFalse(CertificateIdentity.sanMatches(certificate, SanType.EMAIL, "@Example.com"));
  }

  @Test
  void valueOfAnotherSanTypeDoesNotMatch() {
    X509Certificate certificate = TestCertificates.leaf("CN=mixed").dns("client.example").uri("https://client.example")
      .selfSigned().certificate();
    assertFalse(CertificateIdentity.sanMatches(certificate, SanType.URI, "client.example"));
    assertFalse(CertificateIdentity.sanMatches(certificate, SanType.DNS, "https://client.example"));
    assertFalse(CertificateIdentity.sanMatches(certificate, SanType.EMAIL, "client.example"));
    assertFalse(CertificateIdentity.sanMatches(certificate, null, "client.example"));
    assertFalse(CertificateIdentity.sanMatches(certificate, SanType.DNS, null));
  }

  @Test
  void certificateWithoutSubjectAlternativeNamesMatchesNoSan() {
    X509Certificate certificate = TestCertificates.leaf("CN=client.example").selfSigned().certificate();
    for (SanType type : SanType.values()) {
      assertFalse(CertificateIdentity.sanMatches(certificate, type, "client.example"));
    }
  }

  @Test
  void sanTypesAreNamedAsInTheConfigurationAndTheClientMetadata() {
    assertEquals(Optional.of(SanType.DNS), SanType.fromConfigName("dns"));
    assertEquals(Optional.of(SanType.URI), SanType.fromConfigName("uri"));
    assertEquals(Optional.of(SanType.IP), SanType.fromConfigName("IP"));
    assertEquals(Optional.of(SanType.EMAIL), SanType.fromConfigName("email"));
    assertEquals(Optional.empty(), SanType.fromConfigName("rfc822"));
    assertEquals(Optional.empty(), SanType.fromConfigName(null));
    assertEquals(List.of("tls_client_auth_san_dns", "tls_client_auth_san_uri", "tls_client_auth_san_ip",
        "tls_client_auth_san_email"),
      Arrays.stream(SanType.values()).map(SanType::metadataName).toList());
  }

  @Test
  void selfSignedCertificateMatchesWhenItsThumbprintIsRegistered() {
    X509Certificate certificate = TestCertificates.leaf("CN=self").selfSigned().certificate();
    X509Certificate other = TestCertificates.leaf("CN=self").selfSigned().certificate();
    String thumbprint = CertificateIdentity.thumbprint(certificate);
    String otherThumbprint = CertificateIdentity.thumbprint(other);
    assertTrue(CertificateIdentity.isSelfSignedMatch(certificate, List.of(otherThumbprint, thumbprint)));
    assertTrue(CertificateIdentity.isSelfSignedMatch(certificate, Arrays.asList(null, thumbprint)));
    assertFalse(CertificateIdentity.isSelfSignedMatch(certificate, List.of(otherThumbprint)));
    assertFalse(CertificateIdentity.isSelfSignedMatch(certificate, List.of(thumbprint.substring(1))));
    assertFalse(CertificateIdentity.isSelfSignedMatch(certificate, List.of(thumbprint + "=")));
    assertFalse(CertificateIdentity.isSelfSignedMatch(certificate, List.of()));
    assertFalse(CertificateIdentity.isSelfSignedMatch(certificate, null));
  }
}
