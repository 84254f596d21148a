package io.tokengate.tls;

import com.nimbusds.jwt.SignedJWT;
import io.tokengate.client.ClientAuthMethod;
import io.tokengate.client.ClientKeys;
import io.tokengate.client.ClientRegistration;
import io.tokengate.client.TlsClientIdentity;
import io.tokengate.support.Http;
import io.tokengate.support.TestCertificates.Issued;
import io.tokengate.support.TestCertificates;
import io.tokengate.support.TestGateway;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * RFC 8705 with tokengate terminating TLS: tls_client_auth against a configured CA, self_signed_tls_client_auth
 * against registered certificates, and access tokens bound to the certificate.
 */
@ExtendWith(VertxExtension.class)
class MutualTlsTest {

  private static final String PASSWORD = "correct horse battery staple";
  private static final AtomicInteger FILES = new AtomicInteger();

  private static Path directory;
  private static Issued ca;
  private static Issued intermediate;
  private static Issued selfSigned;
  private static TestGateway gateway;
  private static Vertx vertx;
  private static String boundSecret;

  @BeforeAll
  static void start(Vertx testVertx) throws Exception {
    vertx = testVertx;
    directory = Files.createTempDirectory("tokengate-mtls");
    ca = TestCertificates.ca("CN=Test Client CA");
    intermediate = TestCertificates.intermediate(ca, "CN=Test Issuing CA");
    Issued server = TestCertificates.server(TestCertificates.ca("CN=Test Server CA"));
    selfSigned = TestCertificates.leaf("CN=self-app").selfSigned();
    gateway = TestGateway.start(Map.of(
      "TOKENGATE_HTTP_TLS_CERTIFICATE_FILE", write(server.certificate()).toString(),
      "TOKENGATE_HTTP_TLS_KEY_FILE", TestCertificates.writePrivateKey(directory.resolve("server.key"),
        server.keys().getPrivate()).toString(),
      "TOKENGATE_CLIENTS_TLS_CA_FILE", write(ca.certificate()).toString()));
    gateway.createUser("alice", PASSWORD);

    gateway.register(mtls("dn-app", ClientAuthMethod.TLS_CLIENT_AUTH,
      keys(new TlsClientIdentity(TlsClientIdentity.Kind.SUBJECT_DN, "CN=dn-app, O=Example"), List.of()))
      .constrainingTokens(true, false));
    gateway.register(mtls("san-app", ClientAuthMethod.TLS_CLIENT_AUTH,
      keys(new TlsClientIdentity(TlsClientIdentity.Kind.SAN_DNS, "san-app.example"), List.of())));
    gateway.register(mtls("self-app", ClientAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH,
      keys(null, List.of(CertificateIdentity.thumbprint(selfSigned.certificate())))));
    boundSecret = gateway.register(new ClientRegistration.Request("bound-app", Set.of("password"), List.of(),
      List.of(), Optional.empty(), Optional.empty()).constrainingTokens(true, false)).generatedSecret().orElseThrow();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static ClientRegistration.Request mtls(String clientId, ClientAuthMethod method, ClientKeys keys) {
    return new ClientRegistration.Request(clientId, Set.of("password", "client_credentials"), List.of(), List.of(),
      Optional.empty(), Optional.empty()).authenticatingWith(Set.of(method), keys);
  }

  private static ClientKeys keys(TlsClientIdentity identity, List<String> thumbprints) {
    return new ClientKeys(Optional.empty(), Optional.empty(), Optional.empty(), Optional.ofNullable(identity),
      thumbprints);
  }

  private static Path write(X509Certificate... certificates) {
    return TestCertificates.writeCertificates(directory.resolve(FILES.incrementAndGet() + ".pem"), certificates);
  }

  /** An HTTPS client that trusts any server certificate (the server's CA is not the point) and presents its own. */
  private static WebClient presenting(Issued client, X509Certificate... chain) {
    WebClientOptions options = new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
      .setDefaultHost("127.0.0.1").setDefaultPort(gateway.port());
    if (client != null) {
      X509Certificate[] all = new X509Certificate[chain.length + 1];
      all[0] = client.certificate();
      System.arraycopy(chain, 0, all, 1, chain.length);
      options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(write(all).toString())
        .setKeyPath(TestCertificates.writePrivateKey(directory.resolve(FILES.incrementAndGet() + ".key"),
          client.keys().getPrivate()).toString()));
    }
    return WebClient.create(vertx, options);
  }

  private static HttpResponse<Buffer> clientCredentials(WebClient client, String clientId) {
    try {
      return client.post("/oauth2/token").sendForm(form("grant_type", "client_credentials", "client_id", clientId))
        .await();
    } finally {
      client.close();
    }
  }

  private static void assertInvalidClient(HttpResponse<Buffer> response) {
    assertEquals(401, response.statusCode(), response.bodyAsString());
    assertEquals("invalid_client", response.bodyAsJsonObject().getString("error"));
  }

  private static Object cnf(HttpResponse<Buffer> response) throws Exception {
    Map<String, Object> cnf = SignedJWT.parse(response.bodyAsJsonObject().getString("access_token"))
      .getJWTClaimsSet().getJSONObjectClaim("cnf");
    return cnf == null ? null : cnf.get("x5t#S256");
  }

  @Test
  void aCertificateFromTheTrustedCaWithTheRegisteredSubjectAuthenticates() throws Exception {
    Issued leaf = TestCertificates.leaf("cn=dn-app,o=Example").clientAuth().signedBy(intermediate);

    HttpResponse<Buffer> response = clientCredentials(presenting(leaf, intermediate.certificate()), "dn-app");

    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals(CertificateIdentity.thumbprint(leaf.certificate()), cnf(response), "bound to the certificate");
  }

  @Test
  void theRegisteredSubjectFromAnUntrustedIssuerDoesNot() {
    Issued impostor = TestCertificates.leaf("CN=dn-app, O=Example").clientAuth()
      .signedBy(TestCertificates.ca("CN=Test Client CA"));
    assertInvalidClient(clientCredentials(presenting(impostor), "dn-app"));
  }

  @Test
  void aTrustedCertificateWithAnotherSubjectDoesNot() {
    Issued other = TestCertificates.leaf("CN=someone-else, O=Example").clientAuth().signedBy(ca);
    assertInvalidClient(clientCredentials(presenting(other), "dn-app"));
  }

  @Test
  void anExpiredCertificateDoesNot() {
    Issued expired = TestCertificates.leaf("CN=dn-app, O=Example").clientAuth().expired().signedBy(ca);
    assertInvalidClient(clientCredentials(presenting(expired), "dn-app"));
  }

  @Test
  void aMissingIntermediateDoesNot() {
    Issued leaf = TestCertificates.leaf("CN=dn-app, O=Example").clientAuth().signedBy(intermediate);
    assertInvalidClient(clientCredentials(presenting(leaf), "dn-app"));
  }

  @Test
  void aSubjectAlternativeNameCanIdentifyTheClient() {
    Issued leaf = TestCertificates.leaf("CN=anything").dns("san-app.example").clientAuth().signedBy(ca);
    assertEquals(200, clientCredentials(presenting(leaf), "san-app").statusCode());
    Issued wrong = TestCertificates.leaf("CN=anything").dns("other.example").clientAuth().signedBy(ca);
    assertInvalidClient(clientCredentials(presenting(wrong), "san-app"));
  }

  @Test
  void aRegisteredSelfSignedCertificateAuthenticatesAndNoOtherDoes() {
    assertEquals(200, clientCredentials(presenting(selfSigned), "self-app").statusCode());
    Issued stranger = TestCertificates.leaf("CN=self-app").selfSigned();
    assertInvalidClient(clientCredentials(presenting(stranger), "self-app"));
    // A CA-issued certificate is not what a self-signed client registered either.
    assertInvalidClient(clientCredentials(presenting(TestCertificates.leaf("CN=self-app").signedBy(ca)), "self-app"));
  }

  @Test
  void withoutACertificateAClientIdAloneIsAPublicClient() {
    assertInvalidClient(clientCredentials(presenting(null), "dn-app"));
  }

  @Test
  void certificateBoundTokensForASecretClientNeedItsCertificate() throws Exception {
    MultiMap grant = form("grant_type", "password", "username", "alice", "password", PASSWORD);
    Issued any = TestCertificates.leaf("CN=bound-app").selfSigned();
    WebClient withCertificate = presenting(any);
    HttpResponse<Buffer> bound = withCertificate.post("/oauth2/token")
      .putHeader("Authorization", Http.basic("bound-app", boundSecret)).sendForm(grant).await();
    withCertificate.close();
    assertEquals(200, bound.statusCode(), bound.bodyAsString());
    assertEquals("Bearer", bound.bodyAsJsonObject().getString("token_type"));
    assertEquals(CertificateIdentity.thumbprint(any.certificate()), cnf(bound));

    WebClient without = presenting(null);
    HttpResponse<Buffer> refused = without.post("/oauth2/token")
      .putHeader("Authorization", Http.basic("bound-app", boundSecret)).sendForm(grant).await();
    without.close();
    assertEquals(400, refused.statusCode());
    assertEquals("invalid_request", refused.bodyAsJsonObject().getString("error"));
  }

  @Test
  void theMetadataAdvertisesTheMutualTlsMethods() {
    WebClient client = presenting(null);
    JsonObject metadata = client.get("/.well-known/oauth-authorization-server").send().await().bodyAsJsonObject();
    client.close();
    List<?> methods = metadata.getJsonArray("token_endpoint_auth_methods_supported").getList();
    assertEquals(true, methods.contains("tls_client_auth"));
    assertEquals(true, methods.contains("self_signed_tls_client_auth"));
    assertEquals(false, methods.contains("client_secret_jwt"), "no secret encryption key is configured");
    assertEquals(true, metadata.getBoolean("tls_client_certificate_bound_access_tokens"));
  }

  @Test
  void aBearerTokenWithoutBindingHasNoCnf() throws Exception {
    Issued leaf = TestCertificates.leaf("CN=anything").dns("san-app.example").clientAuth().signedBy(ca);
    assertNull(cnf(clientCredentials(presenting(leaf), "san-app")));
  }
}
