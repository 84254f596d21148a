package io.tokengate.tls;

import io.tokengate.client.ClientAuthMethod;
import io.tokengate.client.ClientKeys;
import io.tokengate.client.ClientRegistration;
import io.tokengate.client.TlsClientIdentity;
import io.tokengate.support.Http;
import io.tokengate.support.TestCertificates.Issued;
import io.tokengate.support.TestCertificates;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RFC 9440 behind a TLS-terminating proxy: a Client-Cert header counts only from a configured trusted proxy. Both
 * gateways here see the test as 127.0.0.1; one trusts that address, the other trusts only 10.0.0.0/8.
 */
@ExtendWith(VertxExtension.class)
class ForwardedClientCertTest {

  private static Issued ca;
  private static Issued intermediate;
  private static TestGateway behindProxy;
  private static TestGateway exposed;
  private static Http viaProxy;
  private static Http direct;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    Path directory = Files.createTempDirectory("tokengate-forwarded");
    ca = TestCertificates.ca("CN=Test Client CA");
    intermediate = TestCertificates.intermediate(ca, "CN=Test Issuing CA");
    String caFile = TestCertificates.writeCertificates(directory.resolve("ca.pem"), ca.certificate()).toString();
    behindProxy = TestGateway.start(Map.of("TOKENGATE_CLIENTS_TLS_CA_FILE", caFile,
      "TOKENGATE_HTTP_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1"));
    exposed = TestGateway.startOn(behindProxy.database(), Map.of("TOKENGATE_CLIENTS_TLS_CA_FILE", caFile,
      "TOKENGATE_HTTP_TRUSTED_PROXIES", "10.0.0.0/8"));
    behindProxy.register(new ClientRegistration.Request("proxied-app", Set.of("client_credentials"), List.of(),
      List.of(), Optional.empty(), Optional.empty()).authenticatingWith(Set.of(ClientAuthMethod.TLS_CLIENT_AUTH),
      new ClientKeys(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.of(new TlsClientIdentity(TlsClientIdentity.Kind.SAN_URI, "spiffe://example.org/proxied-app")),
        List.of())));
    viaProxy = new Http(vertx, behindProxy.port());
    direct = new Http(vertx, exposed.port());
  }

  @AfterAll
  static void stop() {
    exposed.close();
    behindProxy.close();
  }

  private static HttpResponse<Buffer> post(Http http, String clientCert, String chain) {
    var request = http.client().post("/oauth2/token");
    if (clientCert != null) {
      request.putHeader("Client-Cert", clientCert);
    }
    if (chain != null) {
      request.putHeader("Client-Cert-Chain", chain);
    }
    return request.sendForm(form("grant_type", "client_credentials", "client_id", "proxied-app")).await();
  }

  private static Issued leaf() {
    return TestCertificates.leaf("CN=proxied").uri("spiffe://example.org/proxied-app").clientAuth().signedBy(ca);
  }

  @Test
  void aTrustedProxysForwardedCertificateAuthenticates() {
    HttpResponse<Buffer> response = post(viaProxy, leaf().clientCertHeader(), null);
    assertEquals(200, response.statusCode(), response.bodyAsString());
  }

  @Test
  void theForwardedChainSuppliesTheIntermediate() {
    Issued leaf = TestCertificates.leaf("CN=proxied").uri("spiffe://example.org/proxied-app").clientAuth()
      .signedBy(intermediate);
    assertEquals(401, post(viaProxy, leaf.clientCertHeader(), null).statusCode());
    assertEquals(200, post(viaProxy, leaf.clientCertHeader(),
      TestCertificates.toClientCertChainHeader(intermediate.certificate())).statusCode());
  }

  @Test
  void fromAnUntrustedPeerTheHeaderIsIgnored() {
    HttpResponse<Buffer> response = post(direct, leaf().clientCertHeader(), null);
    assertEquals(401, response.statusCode());
    assertEquals("invalid_client", response.bodyAsJsonObject().getString("error"));
  }

  @Test
  void aMalformedHeaderFromATrustedProxyIsABadRequest() {
    HttpResponse<Buffer> response = post(viaProxy, ":not base64!:", null);
    assertEquals(400, response.statusCode());
    assertEquals("invalid_request", response.bodyAsJsonObject().getString("error"));
  }

  @Test
  void aForwardedCertificateFromAnotherCaDoesNotAuthenticate() {
    Issued foreign = TestCertificates.leaf("CN=proxied").uri("spiffe://example.org/proxied-app").clientAuth()
      .signedBy(TestCertificates.ca("CN=Other CA"));
    assertEquals(401, post(viaProxy, foreign.clientCertHeader(), null).statusCode());
  }
}
