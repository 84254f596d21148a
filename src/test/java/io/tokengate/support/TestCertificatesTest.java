package io.tokengate.support;

import io.tokengate.support.TestCertificates.Issued;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestCertificatesTest {

  private static Vertx vertx;

  @TempDir
  Path directory;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    vertx.close().await();
  }

  @Test
  void serverCertificateAndEcKeyLoadAsVertxPemKeyCertOptions() throws Exception {
    Issued ca = TestCertificates.ca("CN=PEM CA");
    Issued server = TestCertificates.server(ca);
    assertLoadsAsServerIdentity(server, ca);
    assertEquals(List.of(List.of(2, "localhost"), List.of(7, "127.0.0.1")),
      List.copyOf(server.certificate().getSubjectAlternativeNames()));
  }

  @Test
  void rsaKeyLoadsAsVertxPemKeyCertOptions() throws Exception {
    Issued ca = TestCertificates.ca("CN=PEM CA");
    KeyPair rsa = TestCertificates.rsaKeys();
    Issued server = TestCertificates.leaf("CN=localhost").dns("localhost").serverAuth().keys(rsa).signedBy(ca);
    assertLoadsAsServerIdentity(server, ca);
  }

  @Test
  void certificatesAreIssuedAsAsked() throws Exception {
    Issued ca = TestCertificates.ca("CN=Root");
    Issued intermediate = TestCertificates.intermediate(ca, "CN=Intermediate");
    Issued leaf = TestCertificates.leaf("CN=leaf").clientAuth().signedBy(intermediate);
    Issued self = TestCertificates.leaf("CN=self").selfSigned();

    ca.certificate().verify(ca.keys().getPublic());
    intermediate.certificate().verify(ca.keys().getPublic());
    leaf.certificate().verify(intermediate.keys().getPublic());
    self.certificate().verify(self.keys().getPublic());
    assertTrue(ca.certificate().getBasicConstraints() >= 0);
    assertTrue(intermediate.certificate().getBasicConstraints() >= 0);
    assertEquals(-1, leaf.certificate().getBasicConstraints());
    assertEquals(List.of("1.3.6.1.5.5.7.3.2"), leaf.certificate().getExtendedKeyUsage());
    assertEquals(leaf.certificate().getPublicKey(), leaf.keys().getPublic());
  }

  private void assertLoadsAsServerIdentity(Issued server, Issued ca) throws Exception {
    Path cert = TestCertificates.writeCertificates(directory.resolve("server.pem"), server.certificate(), ca.certificate());
    Path key = TestCertificates.writePrivateKey(directory.resolve("server-key.pem"), server.keys().getPrivate());
    assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----\n"));

    KeyManagerFactory factory = new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString())
      .getKeyManagerFactory(vertx);
    X509KeyManager keyManager = (X509KeyManager) factory.getKeyManagers()[0];
    String alias = keyManager.getServerAliases(server.keys().getPublic().getAlgorithm(), null)[0];
    X509Certificate[] chain = keyManager.getCertificateChain(alias);
    PrivateKey loaded = keyManager.getPrivateKey(alias);
    assertEquals(List.of(server.certificate(), ca.certificate()), List.of(chain));
    assertEquals(server.keys().getPrivate().getAlgorithm(), loaded.getAlgorithm());
  }
}
