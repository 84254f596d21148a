package io.tokengate.http;

import io.tokengate.config.Config;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TrustOptions;

import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;
import javax.net.ssl.X509TrustManager;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

/**
 * HTTPS for the public port, asking every client for a certificate without requiring one. The handshake accepts any
 * certificate whose private key the client holds: whether it identifies a client is decided per client, by
 * {@code tls_client_auth} (a configured CA and the registered subject) or {@code self_signed_tls_client_auth} (the
 * registered certificate) — which a TLS-level CA list could not express.
 */
final class ClientCertificateRequest {

  private ClientCertificateRequest() {
  }

  /** TLS 1.2 and 1.3 only (ASVS 9.1.3). */
  static final Set<String> PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");
  /**
   * TLS 1.3's suites, and TLS 1.2's with forward secrecy (ECDHE) and an AEAD cipher only (ASVS 9.1.2; Mozilla's
   * "intermediate" list): no static-RSA key exchange, no CBC, no SHA-1 MAC.
   */
  static final List<String> CIPHER_SUITES = List.of(
    "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  static HttpServerOptions apply(HttpServerOptions options, Config.Tls tls) {
    options.setEnabledSecureTransportProtocols(PROTOCOLS);
    CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    return options
      .setSsl(true)
      .setKeyCertOptions(new PemKeyCertOptions()
        .setCertPath(tls.certificateFile().toString())
        .setKeyPath(tls.keyFile().toString()))
      .setClientAuth(ClientAuth.REQUEST)
      .setTrustOptions(TrustOptions.wrap(new AnyClientCertificateFactory()));
  }

  /** Vert.x' own wrapper for a bare TrustManager needs SLF4J on the classpath, which tokengate does not ship. */
  private static final class AnyClientCertificateFactory extends TrustManagerFactory {
    AnyClientCertificateFactory() {
      super(new TrustManagerFactorySpi() {
        @Override
        protected void engineInit(KeyStore keyStore) {
        }

        @Override
        protected void engineInit(ManagerFactoryParameters parameters) {
        }

        @Override
        protected TrustManager[] engineGetTrustManagers() {
          return new TrustManager[] {new AnyClientCertificate()};
        }
      }, new Provider("tokengate", "1", "accepts any client certificate; clients are judged after the handshake") {
      }, "tokengate-any-client-certificate");
    }
  }

  private static final class AnyClientCertificate implements X509TrustManager {

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
      // Judged per client after the handshake; see the class comment.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("a server-side trust manager trusts no server");
    }

    /** Empty: the certificate request names no CA, so a client may offer a self-signed certificate. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
