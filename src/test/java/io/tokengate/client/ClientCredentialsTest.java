package io.tokengate.client;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tokengate.oauth.ClientForm;
import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.tokengate.oauth.Parameters;
import io.tokengate.support.Http;
import io.tokengate.support.TestCertificates;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientCredentialsTest {

  private static ClientCredentials parse(String authorization, Map<String, String> form) {
    return ClientCredentials.from(new ClientForm(new Parameters(form), Optional.ofNullable(authorization), List.of(),
      Optional.empty(), "http://localhost/oauth2/token"));
  }

  private static ClientCredentials.Secret secret(String authorization, Map<String, String> form) {
    return (ClientCredentials.Secret) parse(authorization, form);
  }

  private static OAuthError errorOf(String authorization, Map<String, String> form) {
    return assertThrows(OAuthException.class, () -> parse(authorization, form)).error();
  }

  @Test
  void basicCredentialsAreFormDecodedAfterBase64() {
    ClientCredentials.Secret credentials = secret(Http.basic("my:client", "s3cr3t+%/ü"), Map.of());

    assertEquals(ClientAuthMethod.CLIENT_SECRET_BASIC, credentials.method());
    assertEquals("my:client", credentials.clientId());
    assertEquals("s3cr3t+%/ü", credentials.secret());
  }

  @Test
  void theFirstColonSeparatesIdFromSecret() {
    String header = "Basic " + Base64.getEncoder().encodeToString("id:se:cret".getBytes(StandardCharsets.UTF_8));
    ClientCredentials.Secret credentials = secret(header, Map.of());

    assertEquals("id", credentials.clientId());
    assertEquals("se:cret", credentials.secret());
  }

  @Test
  void postedCredentialsNeedAClientId() {
    assertEquals(ClientAuthMethod.CLIENT_SECRET_POST,
      secret(null, Map.of("client_id", "app", "client_secret", "x")).method());
    assertEquals(OAuthError.INVALID_REQUEST, errorOf(null, Map.of("client_secret", "x")));
  }

  @Test
  void oneMethodPerRequest() {
    assertEquals(OAuthError.INVALID_REQUEST, errorOf(Http.basic("app", "x"), Map.of("client_secret", "x")));
  }

  @Test
  void noCredentialsOrAnIdAloneIsInvalidClient() {
    assertEquals(OAuthError.INVALID_CLIENT, errorOf(null, Map.of()));
    assertEquals(OAuthError.INVALID_CLIENT, errorOf(null, Map.of("client_id", "app")));
  }

  @Test
  void malformedHeadersAreInvalidClientWithAChallenge() {
    for (String header : new String[] {"Basic", "Basic ", "Basic ***", "Digest abc", "Basic " + b64("nocolon"),
      "Basic " + b64(":secret"), "Basic " + b64("id:"), "Basic " + b64("id:%zz")}) {
      OAuthException failure = assertThrows(OAuthException.class, () -> parse(header, Map.of()), header);
      assertEquals(OAuthError.INVALID_CLIENT, failure.error());
      assertTrue(failure.basicChallenge());
      assertEquals(401, failure.status());
    }
  }

  @Test
  void theSecretNeverAppearsInTheTextForm() {
    assertTrue(!parse(Http.basic("app", "topsecret"), Map.of()).toString().contains("topsecret"));
  }

  private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  private static String assertion(String issuer, String subject, JWSAlgorithm algorithm) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm),
      new JWTClaimsSet.Builder().issuer(issuer).subject(subject).build());
    jwt.sign(new MACSigner(new byte[64]));
    return jwt.serialize();
  }

  @Test
  void anAssertionNamesItsClientAndItsMethodByAlgorithm() throws Exception {
    ClientCredentials credentials = parse(null, Map.of("client_assertion_type", JWT_BEARER,
      "client_assertion", assertion("app", "app", JWSAlgorithm.HS256)));
    ClientCredentials.Assertion assertion = (ClientCredentials.Assertion) credentials;
    assertEquals("app", assertion.clientId());
    assertEquals(ClientAuthMethod.CLIENT_SECRET_JWT, assertion.method());
  }

  @Test
  void anAssertionWhoseIssuerIsNotItsSubjectIsRefused() throws Exception {
    assertEquals(OAuthError.INVALID_CLIENT, errorOf(null, Map.of("client_assertion_type", JWT_BEARER,
      "client_assertion", assertion("app", "other", JWSAlgorithm.HS256))));
  }

  @Test
  void aClientIdThatDisagreesWithTheAssertionIsRefused() throws Exception {
    assertEquals(OAuthError.INVALID_REQUEST, errorOf(null, Map.of("client_id", "other",
      "client_assertion_type", JWT_BEARER, "client_assertion", assertion("app", "app", JWSAlgorithm.HS256))));
  }

  @Test
  void anAssertionWithoutItsTypeOrTheOtherWayRoundIsIncomplete() throws Exception {
    assertEquals(OAuthError.INVALID_REQUEST,
      errorOf(null, Map.of("client_assertion", assertion("app", "app", JWSAlgorithm.HS256))));
    assertEquals(OAuthError.INVALID_REQUEST, errorOf(null, Map.of("client_assertion_type", JWT_BEARER)));
  }

  @Test
  void anAssertionWithBasicIsTwoMethods() throws Exception {
    assertEquals(OAuthError.INVALID_REQUEST, errorOf(Http.basic("app", "x"), Map.of("client_assertion_type",
      JWT_BEARER, "client_assertion", assertion("app", "app", JWSAlgorithm.HS256))));
  }

  @Test
  void anOversizedAssertionIsMalformed() {
    assertEquals(OAuthError.INVALID_CLIENT, errorOf(null, Map.of("client_assertion_type", JWT_BEARER,
      "client_assertion", "a".repeat(9000))));
  }

  @Test
  void aCertificateAuthenticatesOnlyWhenNothingElseIsSent() {
    X509Certificate certificate = TestCertificates.leaf("CN=app").selfSigned().certificate();
    ClientCredentials alone = ClientCredentials.from(new ClientForm(new Parameters(Map.of("client_id", "app")),
      Optional.empty(), List.of(certificate), Optional.empty(), "http://localhost/oauth2/token"));
    assertTrue(alone instanceof ClientCredentials.Certificate);

    ClientCredentials withSecret = ClientCredentials.from(new ClientForm(new Parameters(Map.of()),
      Optional.of(Http.basic("app", "x")), List.of(certificate), Optional.empty(), "http://localhost/oauth2/token"));
    assertTrue(withSecret instanceof ClientCredentials.Secret, "the certificate only accompanies Basic");
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
