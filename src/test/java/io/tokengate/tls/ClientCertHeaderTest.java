package io.tokengate.tls;

import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.tokengate.support.TestCertificates.Issued;
import io.tokengate.support.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientCertHeaderTest {

  private static Issued ca;
  private static Issued intermediate;
  private static Issued client;
  private static String clientHeader;

  @BeforeAll
  static void issueCertificates() {
    ca = TestCertificates.ca("CN=Header CA");
    intermediate = TestCertificates.intermediate(ca, "CN=Header Intermediate");
    client = TestCertificates.leaf("CN=client").clientAuth().signedBy(intermediate);
    clientHeader = client.clientCertHeader();
  }

  @Test
  void neitherHeaderMeansNoCertificate() {
    assertEquals(List.of(), ClientCertHeader.parse(null, null));
    assertEquals(List.of(), ClientCertHeader.parse("", " "));
  }

  @Test
  void clientCertAloneIsTheCertificate() {
    assertEquals(List.of(client.certificate()), ClientCertHeader.parse(clientHeader, null));
  }

  @Test
  void chainFollowsTheClientCertificateInTheOrderSent() {
    String chain = TestCertificates.toClientCertChainHeader(intermediate.certificate(), ca.certificate());
    assertEquals(List.of(client.certificate(), intermediate.certificate(), ca.certificate()),
      ClientCertHeader.parse(clientHeader, chain));
  }

  @Test
  void emptyChainIsLikeNoChain() {
    assertEquals(List.of(client.certificate()), ClientCertHeader.parse(clientHeader, ""));
  }

  @Test
  void parametersAreIgnored() {
    String item = clientHeader + ";a=1;b=?0;c=\"quoted, with; \\\"escapes\\\\\";d=token/x:y;e=-1.25;f;g=:AAE=:";
    String chain = toHeader(intermediate) + ";ignored=\"x,y\" , \t" + toHeader(ca) + ";*k=*v";
    assertEquals(List.of(client.certificate(), intermediate.certificate(), ca.certificate()),
      ClientCertHeader.parse(item, chain));
  }

  @Test
  void spacesAroundTheValueAndMissingPaddingAreAccepted() {
    String unpadded = clientHeader.replace("=", "");
    assertEquals(List.of(client.certificate()), ClientCertHeader.parse("  " + unpadded + "  ", null));
  }

  @Test
  void tenChainCertificatesAreAccepted() {
    String chain = String.join(",", Collections.nCopies(10, toHeader(intermediate)));
    assertEquals(11, ClientCertHeader.parse(clientHeader, chain).size());
  }

  @Test
  void chainWithoutClientCertIsMalformed() {
    assertMalformedChain(null, toHeader(ca));
    assertMalformedChain(" ", toHeader(ca));
  }

  @ParameterizedTest
  @ValueSource(strings = {"%s", ":%s", "%s:", "\"%s\"", "::%s:", ":%s::", ":%s :", ": %s:", ":%s\n:"})
  void base64ThatIsNotBetweenExactlyTwoColonsIsMalformed(String template) {
    assertMalformedLeaf(String.format(template, base64(client.certificate())));
  }

  @ParameterizedTest
  @ValueSource(strings = {"%s;", "%s;A=1", "%s;a=", "%s;a=\"open", "%s;a=\"bad\\n\"", "%s;a=1.2345",
    "%s;a=1234567890123456", "%s;a=?2", "%s;a=@1", "%s;a=(1)", "%s x", "%s%<s", "%s, %<s", "(%s)", "%s;a=:-_:"})
  void clientCertThatIsNotOneByteSequenceIsMalformed(String template) {
    assertMalformedLeaf(String.format(template, clientHeader));
  }

  @ParameterizedTest
  @ValueSource(strings = {"token", "?1", "42", "\"string\"", "::", ":====:", ":A:", ":AA=A:", ":AA E:"})
  void clientCertOfAnotherTypeOrBrokenBase64IsMalformed(String value) {
    assertMalformedLeaf(value);
  }

  @Test
  void base64UrlIsNotStandardBase64() throws CertificateEncodingException {
    String url = Base64.getUrlEncoder().encodeToString(client.certificate().getEncoded());
    assertTrue(url.indexOf('-') >= 0 || url.indexOf('_') >= 0);
    assertMalformedLeaf(":" + url + ":");
  }

  @Test
  void bytesThatAreNotADerCertificateAreMalformed() throws CertificateEncodingException {
    byte[] der = client.certificate().getEncoded();
    byte[] trailing = new byte[der.length + 1];
    System.arraycopy(der, 0, trailing, 0, der.length);
    byte[] truncated = new byte[der.length - 1];
    System.arraycopy(der, 0, truncated, 0, truncated.length);
    String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(der)
      + "\n-----END CERTIFICATE-----\n";

    assertMalformedLeaf(byteSequence("not a certificate".getBytes(StandardCharsets.US_ASCII)));
    assertMalformedLeaf(byteSequence(trailing));
    assertMalformedLeaf(byteSequence(truncated));
    assertMalformedLeaf(byteSequence(pem.getBytes(StandardCharsets.US_ASCII)));
    assertMalformedChain(clientHeader, byteSequence("not a certificate".getBytes(StandardCharsets.US_ASCII)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"%s,", "%s,,%<s", ",%s", "%s;", "(%s)", "%s %<s", "%s,token", "%s, \"string\"", "%s,:AAE=:"})
  void chainThatIsNotAListOfByteSequencesIsMalformed(String template) {
    assertMalformedChain(clientHeader, String.format(template, toHeader(ca)));
  }

  @Test
  void elevenChainCertificatesAreTooMany() {
    assertMalformedChain(clientHeader, String.join(", ", Collections.nCopies(11, toHeader(intermediate))));
  }

  @Test
  void valuesOver16KibAreMalformedBeforeTheyAreRead() {
    String padded = clientHeader + " ".repeat(16 * 1024 - clientHeader.length());
    assertEquals(List.of(client.certificate()), ClientCertHeader.parse(padded, null));
    assertMalformedLeaf(padded + " ");
    assertMalformedChain(clientHeader, padded + " ");
  }

  private static void assertMalformedLeaf(String clientCert) {
    assertMalformed("malformed Client-Cert header", clientCert, null);
  }

  private static void assertMalformedChain(String clientCert, String chain) {
    assertMalformed("malformed Client-Cert-Chain header", clientCert, chain);
  }

  private static void assertMalformed(String description, String clientCert, String chain) {
    OAuthException e = assertThrows(OAuthException.class, () -> ClientCertHeader.parse(clientCert, chain));
    assertEquals(OAuthError.INVALID_REQUEST, e.error());
    assertEquals(400, e.status());
    assertEquals(description, e.description());
  }

  private static String toHeader(Issued issued) {
    return TestCertificates.toClientCertHeader(issued.certificate());
  }

  private static String base64(X509Certificate certificate) {
    try {
      return Base64.getEncoder().encodeToString(certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String byteSequence(byte[] bytes) {
    return ":" + Base64.getEncoder().encodeToString(bytes) + ":";
  }
}
