package io.tokengate.claims;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.tokengate.client.ClientTokenProfile;
import io.tokengate.store.ClientStore;
import io.tokengate.support.Http;
import io.tokengate.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.tokengate.support.Http.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 8707 resource indicators, OpenID Connect ID tokens and pairwise subjects, checked with Nimbus as the other end. */
@ExtendWith(VertxExtension.class)
class ResourcesAndOidcTest {

  private static final String PASSWORD = "correct horse battery staple";
  private static final String ORDERS = "https://orders.example.com/";
  private static final String BILLING = "https://billing.example.com/api";

  @TempDir
  static Path directory;
  private static TestGateway gateway;
  private static Http http;
  private static String secret;
  private static String serviceSecret;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    Path yaml = Files.writeString(directory.resolve("tokengate.yaml"), """
      clients:
        cache_ttl: 0s
      claims:
        id_token:
          email: mail
          name: cn
          employee: employee_no
      """);
    gateway = TestGateway.start(Map.of("TOKENGATE_CONFIG", yaml.toString()));
    http = new Http(vertx, gateway.port());
    secret = gateway.createClient("app", Set.of("password", "refresh_token"),
      List.of("openid", "email", "profile", "orders.read", "orders.write", "billing.read", "read"), List.of("read"));
    serviceSecret = gateway.createClient("service", Set.of("client_credentials"),
      List.of("openid", "orders.read", "billing.read"), List.of());
    gateway.createUser("alice", PASSWORD);
    gateway.sql("UPDATE users SET attributes = '{\"mail\":\"alice@example.com\",\"cn\":\"Alice A\","
      + "\"employee_no\":\"42\"}' WHERE username = 'alice'");
    gateway.sql("INSERT INTO resources (uri, scopes) VALUES ($1, '{orders.read,orders.write}')", ORDERS);
    gateway.sql("INSERT INTO resources (uri, scopes, access_token_ttl_seconds) VALUES ($1, '{billing.read}', 60)",
      BILLING);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static HttpResponse<Buffer> login(String... more) {
    List<String> fields = new ArrayList<>(List.of("grant_type", "password", "username", "alice", "password", PASSWORD));
    fields.addAll(List.of(more));
    return http.tokenWithBasic("app", secret, form(fields.toArray(String[]::new)));
  }

  private static JWTClaimsSet accessClaims(HttpResponse<Buffer> response) throws Exception {
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return SignedJWT.parse(response.bodyAsJsonObject().getString("access_token")).getJWTClaimsSet();
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String error) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertEquals(error, response.bodyAsJsonObject().getString("error"), response.bodyAsString());
  }

  @Test
  void theAudienceIsTheRequestedResourceAndItsScopesAreLimitedToIt() throws Exception {
    JWTClaimsSet claims = accessClaims(login("resource", ORDERS, "scope", "orders.read read"));

    assertEquals(List.of(ORDERS), claims.getAudience());
    assertEquals("orders.read read", claims.getStringClaim("scope"));
  }

  @Test
  void severalResourcesMakeAnArrayAudienceDuplicatesCollapseAndTheShortestLifetimeWins() throws Exception {
    HttpResponse<Buffer> response = login("resource", ORDERS, "resource", BILLING, "resource", ORDERS,
      "scope", "orders.read billing.read");
    JWTClaimsSet claims = accessClaims(response);

    assertEquals(List.of(ORDERS, BILLING), claims.getAudience());
    assertEquals(60, response.bodyAsJsonObject().getLong("expires_in"));
  }

  @Test
  void badResourcesAreInvalidTarget() {
    assertError(login("resource", "https://unknown.example.com/"), 400, "invalid_target");
    assertError(login("resource", "/relative"), 400, "invalid_target");
    assertError(login("resource", ORDERS + "#fragment"), 400, "invalid_target");
    assertError(login("resource", "https://orders.example.com"), 400, "invalid_target");
    assertError(login("resource", "not a uri"), 400, "invalid_target");
  }

  @Test
  void moreThanTenResourcesIsInvalidRequestAndOtherParametersStillMayNotRepeat() {
    List<String> fields = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      fields.addAll(List.of("resource", ORDERS));
    }
    assertError(login(fields.toArray(String[]::new)), 400, "invalid_request");
    assertError(login("scope", "read", "scope", "read"), 400, "invalid_request");
  }

  @Test
  void aScopeOfAnotherResourceIsInvalidScope() {
    assertError(login("resource", ORDERS, "scope", "billing.read"), 400, "invalid_scope");
  }

  @Test
  void aRefreshMayNarrowTheResourcesButNotAddOne() throws Exception {
    JsonObject first = login("resource", ORDERS, "resource", BILLING, "scope", "orders.read billing.read")
      .bodyAsJsonObject();
    HttpResponse<Buffer> narrowed = http.tokenWithBasic("app", secret, form("grant_type", "refresh_token",
      "refresh_token", first.getString("refresh_token"), "resource", ORDERS));
    JWTClaimsSet claims = accessClaims(narrowed);
    assertEquals(List.of(ORDERS), claims.getAudience());
    assertEquals("orders.read", claims.getStringClaim("scope"));

    JsonObject plain = login("scope", "read").bodyAsJsonObject();
    assertError(http.tokenWithBasic("app", secret, form("grant_type", "refresh_token",
      "refresh_token", plain.getString("refresh_token"), "resource", ORDERS)), 400, "invalid_target");
    // Nothing was written: the token is still live.
    assertEquals(200, http.tokenWithBasic("app", secret, form("grant_type", "refresh_token",
      "refresh_token", plain.getString("refresh_token"))).statusCode());
  }

  @Test
  void clientCredentialsTakeResourcesAndRefuseOpenid() throws Exception {
    HttpResponse<Buffer> response = http.tokenWithBasic("service", serviceSecret, form("grant_type",
      "client_credentials", "resource", BILLING, "scope", "billing.read"));
    assertEquals(List.of(BILLING), accessClaims(response).getAudience());
    assertError(http.tokenWithBasic("service", serviceSecret, form("grant_type", "client_credentials",
      "scope", "openid")), 400, "invalid_scope");
  }

  @Test
  void aResourceServerWithNimbusAcceptsATokenForItselfAndRefusesOneForAnother() throws Exception {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(new com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier<>(
      new com.nimbusds.jose.JOSEObjectType("at+jwt")));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
      JWKSourceBuilder.create(URI.create("http://127.0.0.1:" + gateway.port() + "/oauth2/jwks").toURL()).build()));
    processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(ORDERS,
      new JWTClaimsSet.Builder().issuer(gateway.config().issuer().toString()).build(), Set.of("sub", "exp", "scope")));

    String forOrders = login("resource", ORDERS, "scope", "orders.read").bodyAsJsonObject().getString("access_token");
    String forBilling = login("resource", BILLING, "scope", "billing.read").bodyAsJsonObject()
      .getString("access_token");

    assertEquals("orders.read", processor.process(forOrders, null).getStringClaim("scope"));
    assertThrows(com.nimbusds.jose.proc.BadJOSEException.class, () -> processor.process(forBilling, null));
  }

  @Test
  void openidGivesAnIdTokenThatNimbusValidates() throws Exception {
    HttpResponse<Buffer> response = login("scope", "openid email");
    assertEquals(200, response.statusCode(), response.bodyAsString());
    String idToken = response.bodyAsJsonObject().getString("id_token");
    assertNotNull(idToken);

    IDTokenValidator validator = new IDTokenValidator(new Issuer(gateway.config().issuer().toString()),
      new ClientID("app"), JWSAlgorithm.ES256,
      URI.create("http://127.0.0.1:" + gateway.port() + "/oauth2/jwks").toURL());
    IDTokenClaimsSet claims = validator.validate(JWTParser.parse(idToken), null);

    String accessToken = response.bodyAsJsonObject().getString("access_token");
    assertEquals(SignedJWT.parse(accessToken).getJWTClaimsSet().getSubject(), claims.getSubject().getValue());
    assertEquals("app", claims.getStringClaim("azp"));
    assertEquals(List.of("pwd"), claims.getStringListClaim("amr"));
    assertNotNull(claims.getAuthenticationTime());
    assertEquals(com.nimbusds.openid.connect.sdk.claims.AccessTokenHash.compute(
      new com.nimbusds.oauth2.sdk.token.BearerAccessToken(accessToken), JWSAlgorithm.ES256, null),
      claims.getAccessTokenHash());
    assertEquals("alice@example.com", claims.getStringClaim("email"));
    assertEquals("42", claims.getStringClaim("employee"), "a claim of no standard scope is always released");
    assertNull(claims.getClaim("name"), "a profile claim needs the profile scope");
  }

  @Test
  void withoutOpenidThereIsNoIdTokenAndARefreshGivesAFreshOne() throws Exception {
    assertFalse(login("scope", "read").bodyAsJsonObject().containsKey("id_token"));

    JsonObject first = login("scope", "openid profile").bodyAsJsonObject();
    HttpResponse<Buffer> refreshed = http.tokenWithBasic("app", secret, form("grant_type", "refresh_token",
      "refresh_token", first.getString("refresh_token")));
    assertEquals(200, refreshed.statusCode(), refreshed.bodyAsString());
    JWTClaimsSet fresh = SignedJWT.parse(refreshed.bodyAsJsonObject().getString("id_token")).getJWTClaimsSet();
    JWTClaimsSet original = SignedJWT.parse(first.getString("id_token")).getJWTClaimsSet();
    assertEquals(original.getLongClaim("auth_time"), fresh.getLongClaim("auth_time"), "auth_time is the login's");
    assertEquals("Alice A", fresh.getStringClaim("name"));
  }

  @Test
  void pairwiseSubjectsDifferAcrossSectorsAndAreStable() throws Exception {
    String first = gateway.createClient("crm-a", Set.of("password"), List.of("openid"), List.of());
    String second = gateway.createClient("crm-b", Set.of("password"), List.of("openid"), List.of());
    String third = gateway.createClient("crm-c", Set.of("password"), List.of("openid"), List.of());
    ClientStore clients = new ClientStore(gateway.pool());
    clients.setTokenProfile("crm-a", new ClientTokenProfile(ClaimMapping.NONE, true, Optional.empty())).await();
    clients.setTokenProfile("crm-b", new ClientTokenProfile(ClaimMapping.NONE, true, Optional.of("crm"))).await();
    clients.setTokenProfile("crm-c", new ClientTokenProfile(ClaimMapping.NONE, true, Optional.of("crm"))).await();

    String a = subject("crm-a", first);
    String b = subject("crm-b", second);
    String userId = gateway.queryString("SELECT id FROM users WHERE username = 'alice'");

    assertNotEquals(a, b);
    assertNotEquals(userId, a);
    assertNotEquals(userId, b);
    assertEquals(a, subject("crm-a", first), "stable across logins");
    assertEquals(b, subject("crm-c", third), "one sector, one subject");
    assertEquals(userId, subject("app", secret), "public subjects stay the user id");

    String token = http.tokenWithBasic("crm-a", first, form("grant_type", "password", "username", "alice",
      "password", PASSWORD)).bodyAsJsonObject().getString("access_token");
    JsonObject introspected = http.client().post("/oauth2/introspect")
      .putHeader("Authorization", Http.basic("crm-a", first)).sendForm(form("token", token)).await()
      .bodyAsJsonObject();
    assertTrue(introspected.getBoolean("active"), "the pairwise subject leads back to the user");
    assertEquals(a, introspected.getString("sub"));
    assertEquals("alice", introspected.getString("username"));
  }

  private static String subject(String clientId, String clientSecret) throws Exception {
    HttpResponse<Buffer> response = http.tokenWithBasic(clientId, clientSecret, form("grant_type", "password",
      "username", "alice", "password", PASSWORD, "scope", "openid"));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    String sub = SignedJWT.parse(response.bodyAsJsonObject().getString("access_token")).getJWTClaimsSet().getSubject();
    assertEquals(sub, SignedJWT.parse(response.bodyAsJsonObject().getString("id_token")).getJWTClaimsSet()
      .getSubject());
    return sub;
  }
}
