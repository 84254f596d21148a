package io.tokengate.tls;

import io.tokengate.support.TestCertificates.Issued;
import io.tokengate.support.TestCertificates;
import io.tokengate.support.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** ASVS V9 when tokengate terminates TLS: TLS 1.2 and 1.3 only, and TLS 1.2 only with ECDHE and an AEAD cipher. */
class PublicTlsTest {

  private static TestGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    Path directory = Files.createTempDirectory("tokengate-tls");
    Issued server = TestCertificates.server(TestCertificates.ca("CN=Test Server CA"));
    gateway = TestGateway.start(Map.of(
      "TOKENGATE_HTTP_TLS_CERTIFICATE_FILE",
      TestCertificates.writeCertificates(directory.resolve("server.pem"), server.certificate()).toString(),
      "TOKENGATE_HTTP_TLS_KEY_FILE",
      TestCertificates.writePrivateKey(directory.resolve("server.key"), server.keys().getPrivate()).toString()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void tls13AndTls12WithForwardSecrecyAndAeadAreSpoken() throws Exception {
    assertEquals("TLSv1.3", handshake("TLSv1.3", null));
    assertEquals("TLSv1.2", handshake("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
  }

  @Test
  void tls12WithCbcOrWithoutForwardSecrecyIsRefused() {
    assertThrows(SSLException.class, () -> handshake("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"));
    assertThrows(SSLException.class, () -> handshake("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"));
  }

  /** @return the protocol negotiated */
  private static String handshake(String protocol, String cipherSuite) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new TrustAll()}, null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(30_000);
      socket.setEnabledProtocols(new String[] {protocol});
      if (cipherSuite != null) {
        socket.setEnabledCipherSuites(new String[] {cipherSuite});
      }
      socket.startHandshake();
      return socket.getSession().getProtocol();
    } catch (IOException e) {
      throw e instanceof SSLException ssl ? ssl : new SSLException(e);
    }
  }

  /** The server's certificate is not what this test is about. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
