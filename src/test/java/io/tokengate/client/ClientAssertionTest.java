package io.tokengate.client;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretJWT;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.tokengate.support.Http;
import io.tokengate.support.Metrics;
import io.tokengate.support.TestGateway;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** client_secret_jwt and private_key_jwt (RFC 7523) against real clients, and every way an assertion can be wrong. */
@ExtendWith(VertxExtension.class)
class ClientAssertionTest {

  private static final String SECRET_KEY = Base64.getEncoder().encodeToString(new byte[32]);
  private static final String PASSWORD = "correct horse battery staple";

  private static TestGateway gateway;
  private static Http http;
  /** The token endpoint as the issuer names it (aud, htu), and where this test reaches it. */
  private static URI tokenEndpoint;
  private static URI reachedAt;
  private static ECKey registeredKey;
  private static String hmacSecret;
  private static HttpServer keyServer;
  private static final AtomicInteger keyServerHits = new AtomicInteger();
  private static final AtomicReference<JWKSet> published = new AtomicReference<>();
  private static HttpServer silentServer;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    gateway = TestGateway.start(Map.of(
      "TOKENGATE_CLIENTS_SECRET_ENCRYPTION_KEY", SECRET_KEY,
      "TOKENGATE_CLIENTS_JWKS_URI_TIMEOUT", "300ms",
      "TOKENGATE_CLIENTS_JWKS_URI_REFETCH_INTERVAL", "2s"));
    http = new Http(vertx, gateway.port());
    tokenEndpoint = URI.create(gateway.config().endpointUrl("/oauth2/token"));
    reachedAt = URI.create("http://127.0.0.1:" + gateway.port() + "/oauth2/token");
    gateway.createUser("alice", PASSWORD);

    registeredKey = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    gateway.register(request("pkjwt-app", Set.of(ClientAuthMethod.PRIVATE_KEY_JWT),
      keys(Optional.of(new JWKSet(registeredKey.toPublicJWK())), Optional.empty())));
    hmacSecret = gateway.register(request("hmac-app", Set.of(ClientAuthMethod.CLIENT_SECRET_JWT), ClientKeys.NONE))
      .generatedSecret().orElseThrow();

    published.set(new JWKSet(new RSAKeyGenerator(2048).keyID("r1").generate().toPublicJWK()));
    keyServer = vertx.createHttpServer().requestHandler(request -> {
      keyServerHits.incrementAndGet();
      request.response().putHeader("Content-Type", "application/json").end(published.get().toString(true));
    }).listen(0, "127.0.0.1").await();
    gateway.register(request("uri-app", Set.of(ClientAuthMethod.PRIVATE_KEY_JWT), keys(Optional.empty(),
      Optional.of(URI.create("http://127.0.0.1:" + keyServer.actualPort() + "/jwks")))));

    silentServer = vertx.createHttpServer().requestHandler(request -> { }).listen(0, "127.0.0.1").await();
    gateway.register(request("silent-app", Set.of(ClientAuthMethod.PRIVATE_KEY_JWT), keys(Optional.empty(),
      Optional.of(URI.create("http://127.0.0.1:" + silentServer.actualPort() + "/jwks")))));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static ClientRegistration.Request request(String clientId, Set<ClientAuthMethod> methods, ClientKeys keys) {
    return new ClientRegistration.Request(clientId, Set.of("password", "client_credentials"), List.of("read"),
      List.of(), Optional.empty(), Optional.empty()).authenticatingWith(methods, keys);
  }

  private static ClientKeys keys(Optional<JWKSet> jwks, Optional<URI> uri) {
    return new ClientKeys(Optional.empty(), jwks, uri, Optional.empty(), List.of());
  }

  private static TokenResponse send(ClientAuthentication authentication) throws Exception {
    return TokenResponse.parse(new TokenRequest.Builder(reachedAt, authentication,
      new ResourceOwnerPasswordCredentialsGrant("alice", new Secret(PASSWORD))).build().toHTTPRequest().send());
  }

  private static JWTClaimsSet.Builder claims(String clientId) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(tokenEndpoint.toString())
      .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(60))).jwtID(UUID.randomUUID().toString());
  }

  private static String es256(JWTClaimsSet claims, ECKey key) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  private static HttpResponse<Buffer> withAssertion(String assertion) {
    return http.token(assertionForm(assertion));
  }

  private static MultiMap assertionForm(String assertion) {
    return form("grant_type", "client_credentials",
      "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      "client_assertion", assertion);
  }

  private static void assertInvalidClient(HttpResponse<Buffer> response, String description) {
    assertEquals(401, response.statusCode(), response.bodyAsString());
    assertEquals("invalid_client", response.bodyAsJsonObject().getString("error"));
    if (description != null) {
      assertEquals(description, response.bodyAsJsonObject().getString("error_description"));
    }
  }

  @Test
  void nimbusPrivateKeyJwtGetsTokensForTheUser() throws Exception {
    PrivateKeyJWT authentication = new PrivateKeyJWT(new ClientID("pkjwt-app"), tokenEndpoint, JWSAlgorithm.ES256,
      registeredKey.toECPrivateKey(), "k1", null);

    TokenResponse response = send(authentication);

    assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
    AccessTokenResponse success = response.toSuccessResponse();
    SignedJWT token = SignedJWT.parse(success.getTokens().getAccessToken().getValue());
    assertEquals("pkjwt-app", token.getJWTClaimsSet().getStringClaim("client_id"));
  }

  @Test
  void nimbusClientSecretJwtWithEveryHmacAlgorithm() throws Exception {
    for (JWSAlgorithm algorithm : List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512)) {
      ClientSecretJWT authentication = new ClientSecretJWT(new ClientID("hmac-app"), tokenEndpoint, algorithm,
        new Secret(hmacSecret));

      TokenResponse response = send(authentication);

      assertTrue(response.indicatesSuccess(), algorithm + ": " + (response.indicatesSuccess() ? ""
        : response.toErrorResponse().getErrorObject()));
    }
  }

  @Test
  void theMetadataAdvertisesBothAssertionMethodsWithTheirAlgorithms() {
    var metadata = http.get("/.well-known/oauth-authorization-server").bodyAsJsonObject();
    List<?> methods = metadata.getJsonArray("token_endpoint_auth_methods_supported").getList();
    assertTrue(methods.contains("client_secret_jwt") && methods.contains("private_key_jwt"));
    List<?> algorithms = metadata.getJsonArray("token_endpoint_auth_signing_alg_values_supported").getList();
    assertTrue(algorithms.containsAll(List.of("HS256", "HS512", "ES256", "RS256", "PS256", "EdDSA")));
    assertTrue(!algorithms.contains("none"));
  }

  @Test
  void theSecretItselfIsNotStoredInTheClear() {
    String stored = gateway.queryString("SELECT encode(secret_sealed, 'escape') FROM clients WHERE client_id = $1",
      "hmac-app");
    assertTrue(!stored.contains(hmacSecret));
  }

  @Test
  void aReplayedAssertionFailsOnAnotherReplica(Vertx vertx) throws Exception {
    String assertion = es256(claims("pkjwt-app").build(), registeredKey);
    assertEquals(200, withAssertion(assertion).statusCode());

    try (TestGateway replica = TestGateway.startOn(gateway.database(), Map.of(
      "TOKENGATE_CLIENTS_SECRET_ENCRYPTION_KEY", SECRET_KEY))) {
      Http other = new Http(vertx, replica.port());
      HttpResponse<Buffer> replayed = other.token(assertionForm(assertion));
      assertInvalidClient(replayed, "the client assertion was used before");
    }
    assertInvalidClient(withAssertion(assertion), "the client assertion was used before");
  }

  @Test
  void theClaimsAreCheckedAfterTheSignature() throws Exception {
    Instant now = Instant.now();
    assertInvalidClient(withAssertion(es256(claims("pkjwt-app").audience("https://elsewhere.example").build(),
      registeredKey)), "the client assertion's aud must be the issuer or the token endpoint URL");
    assertInvalidClient(withAssertion(es256(claims("pkjwt-app").expirationTime(Date.from(now.minusSeconds(120)))
      .build(), registeredKey)), "the client assertion has expired");
    assertInvalidClient(withAssertion(es256(claims("pkjwt-app").expirationTime(null).build(), registeredKey)),
      "the client assertion has no exp");
    assertInvalidClient(withAssertion(es256(claims("pkjwt-app").issueTime(null)
      .expirationTime(Date.from(now.plus(Duration.ofHours(1)))).build(), registeredKey)),
      "the client assertion has no iat or nbf, and its exp is more than 300 seconds away");
    assertInvalidClient(withAssertion(es256(claims("pkjwt-app").issueTime(Date.from(now.plusSeconds(600))).build(),
      registeredKey)), "the client assertion was issued in the future (iat)");
    assertInvalidClient(withAssertion(es256(claims("pkjwt-app").notBeforeTime(Date.from(now.plusSeconds(600))).build(),
      registeredKey)), "the client assertion is not valid yet (nbf)");
    assertInvalidClient(withAssertion(es256(claims("pkjwt-app").jwtID(null).build(), registeredKey)),
      "the client assertion needs a jti of at most 256 printable ASCII characters");
    assertInvalidClient(withAssertion(es256(claims("pkjwt-app").subject("hmac-app").build(), registeredKey)),
      "a client assertion's iss and sub must both be the client_id");
  }

  /** What Authlib sends for private_key_jwt and client_secret_jwt, and cannot be told otherwise: exp = iat + 1 h. */
  private static JWTClaimsSet.Builder authlibClaims(String clientId, Instant iat) {
    return claims(clientId).issueTime(Date.from(iat)).expirationTime(Date.from(iat.plus(Duration.ofHours(1))));
  }

  @Test
  void anAuthlibAssertionIsUsableWithinTheBoundOfItsIatWhateverItsExp() throws Exception {
    String assertion = es256(authlibClaims("pkjwt-app", Instant.now()).build(), registeredKey);

    assertEquals(200, withAssertion(assertion).statusCode(), "iat now, exp in an hour: accepted");
    assertInvalidClient(withAssertion(assertion), "the client assertion was used before");
  }

  @Test
  void anAssertionMadeLongerAgoThanTheBoundIsRefusedWhateverItsExp() throws Exception {
    Instant now = Instant.now();
    assertInvalidClient(withAssertion(es256(authlibClaims("pkjwt-app", now.minus(Duration.ofMinutes(10))).build(),
      registeredKey)), "the client assertion was made (iat, else nbf) more than 300 seconds ago");
    assertInvalidClient(withAssertion(es256(claims("pkjwt-app").issueTime(null)
        .notBeforeTime(Date.from(now.minus(Duration.ofMinutes(10))))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(50)))).build(), registeredKey)),
      "the client assertion was made (iat, else nbf) more than 300 seconds ago");
    assertInvalidClient(withAssertion(es256(claims("pkjwt-app").expirationTime(Date.from(now.plus(Duration.ofHours(25))))
      .build(), registeredKey)), "the client assertion's exp is more than 24 hours away");
  }

  @Test
  void authenticationsAreCountedByMethodAndOutcome(Vertx vertx) throws Exception {
    Http management = new Http(vertx, gateway.managementPort());
    String success = "tokengate_client_authentications_total{method=\"private_key_jwt\",outcome=\"success\"}";
    String failure = "tokengate_client_authentications_total{method=\"client_secret_jwt\",outcome=\"failure\"}";
    double successes = Metrics.value(management, success);
    double failures = Metrics.value(management, failure);

    assertEquals(200, withAssertion(es256(claims("pkjwt-app").build(), registeredKey)).statusCode());
    SignedJWT wrongSecret = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims("hmac-app").build());
    wrongSecret.sign(new MACSigner(new byte[64]));
    assertInvalidClient(withAssertion(wrongSecret.serialize()), "client authentication failed");

    assertEquals(successes + 1, Metrics.value(management, success));
    assertEquals(failures + 1, Metrics.value(management, failure));
  }

  @Test
  void theIssuerIsAnAcceptedAudience() throws Exception {
    String assertion = es256(claims("pkjwt-app").audience(gateway.config().issuer().toString()).build(), registeredKey);
    assertEquals(200, withAssertion(assertion).statusCode());
  }

  @Test
  void algNoneNeverAuthenticates() throws Exception {
    String header = Base64URL.encode("{\"alg\":\"none\"}").toString();
    String payload = Base64URL.encode(claims("pkjwt-app").build().toString()).toString();
    assertInvalidClient(withAssertion(header + "." + payload + "."), null);
  }

  @Test
  void anHmacKeyedWithTheRegisteredPublicKeyIsRefused() throws Exception {
    // The classic confusion: HS256 with the public key's bytes as the secret.
    byte[] publicKeyBytes = registeredKey.toPublicJWK().toJSONString().getBytes();
    SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(),
      claims("pkjwt-app").build());
    forged.sign(new MACSigner(publicKeyBytes));
    assertInvalidClient(withAssertion(forged.serialize()), "client authentication failed");
  }

  @Test
  void aKeyTheClientDidNotRegisterIsRefused() throws Exception {
    ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    assertInvalidClient(withAssertion(es256(claims("pkjwt-app").build(), stranger)), "client authentication failed");
  }

  @Test
  void aSecretMethodTheClientDoesNotHaveIsRefused() throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims("pkjwt-app").build());
    jwt.sign(new MACSigner(hmacSecret));
    assertInvalidClient(withAssertion(jwt.serialize()), "client authentication failed");
  }

  @Test
  void anUnknownKidRefetchesTheClientsJwksOnce() throws Exception {
    RSAKey first = RSAKey.parse(published.get().getKeys().get(0).toJSONObject());
    assertInvalidClient(withAssertion(rs256(claims("uri-app").build(), new RSAKeyGenerator(2048).keyID("r1").generate())),
      "client authentication failed");
    int before = keyServerHits.get();
    assertTrue(before >= 1, "the key set was fetched");

    RSAKey rotated = new RSAKeyGenerator(2048).keyID("r2").generate();
    published.set(new JWKSet(List.of(first, rotated.toPublicJWK())));
    Thread.sleep(2100); // the refetch interval since the first fetch
    assertEquals(200, withAssertion(rs256(claims("uri-app").build(), rotated)).statusCode());
    assertEquals(before + 1, keyServerHits.get(), "one refetch for the new kid");

    RSAKey unknown = new RSAKeyGenerator(2048).keyID("r3").generate();
    for (int i = 0; i < 5; i++) {
      assertInvalidClient(withAssertion(rs256(claims("uri-app").build(), unknown)), "client authentication failed");
    }
    assertEquals(before + 1, keyServerHits.get(), "unknown kids within the refetch interval fetch nothing");
  }

  @Test
  void aJwksUriThatNeverAnswersFailsTheClientInTime() throws Exception {
    long started = System.nanoTime();
    HttpResponse<Buffer> response = withAssertion(rs256(claims("silent-app").build(),
      new RSAKeyGenerator(2048).keyID("s1").generate()));
    assertInvalidClient(response, "client authentication failed");
    assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(5)) < 0);
  }

  @Test
  void malformedAssertionsAreInvalidClientAndMissingPartsInvalidRequest() {
    assertInvalidClient(withAssertion("not.a.jwt"), "malformed client assertion");
    assertInvalidClient(http.token(form("grant_type", "client_credentials",
      "client_assertion_type", "urn:example:other", "client_assertion", "x.y.z")), "unsupported client_assertion_type");
    HttpResponse<Buffer> missing = http.token(form("grant_type", "client_credentials",
      "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
    assertEquals(400, missing.statusCode());
    assertEquals("invalid_request", missing.bodyAsJsonObject().getString("error"));
  }

  @Test
  void anAssertionAndASecretTogetherAreTwoMethods() throws Exception {
    MultiMap both = assertionForm(es256(claims("pkjwt-app").build(), registeredKey)).add("client_secret", "x");
    HttpResponse<Buffer> response = http.token(both);
    assertEquals(400, response.statusCode());
    assertEquals("invalid_request", response.bodyAsJsonObject().getString("error"));
  }

  @Test
  void clientCredentialsWithNimbus() throws Exception {
    PrivateKeyJWT authentication = new PrivateKeyJWT(new ClientID("pkjwt-app"), tokenEndpoint, JWSAlgorithm.ES256,
      registeredKey.toECPrivateKey(), "k1", null);
    TokenResponse response = TokenResponse.parse(new TokenRequest.Builder(reachedAt, authentication,
      new ClientCredentialsGrant()).build().toHTTPRequest().send());
    assertTrue(response.indicatesSuccess());
  }

  private static String rs256(JWTClaimsSet claims, RSAKey key) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
      .type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }
}
