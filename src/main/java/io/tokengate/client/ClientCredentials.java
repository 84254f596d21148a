package io.tokengate.client;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tokengate.oauth.ClientRequest;
import io.tokengate.oauth.FormEncoding;
import io.tokengate.oauth.OAuthException;

import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The credentials a request presents, and by which kind of method. Parsing enforces RFC 6749 §2.3's "one method":
 * a Basic header, a posted secret and an assertion exclude each other; a TLS client certificate counts as the
 * method only when none of them is sent (it may accompany any of them, to bind tokens to it).
 */
sealed interface ClientCredentials {

  String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
  /** An assertion larger than this is not one a client would send. */
  int MAX_ASSERTION_LENGTH = 8192;

  String clientId();

  /** {@code client_secret_basic} or {@code client_secret_post}. */
  record Secret(ClientAuthMethod method, String clientId, String secret) implements ClientCredentials {
    @Override
    public String toString() {
      return "ClientCredentials.Secret[" + method.value() + ", " + clientId + "]";
    }
  }

  /** {@code client_secret_jwt} (an HMAC algorithm) or {@code private_key_jwt} (any other). */
  record Assertion(String clientId, SignedJWT jwt, JWTClaimsSet claims) implements ClientCredentials {
    ClientAuthMethod method() {
      return JWSAlgorithm.Family.HMAC_SHA.contains(jwt.getHeader().getAlgorithm())
        ? ClientAuthMethod.CLIENT_SECRET_JWT : ClientAuthMethod.PRIVATE_KEY_JWT;
    }

    @Override
    public String toString() {
      return "ClientCredentials.Assertion[" + clientId + "]";
    }
  }

  /** {@code tls_client_auth} or {@code self_signed_tls_client_auth}, as the client registered. */
  record Certificate(String clientId, List<X509Certificate> chain) implements ClientCredentials {
  }

  static ClientCredentials from(ClientRequest request) {
    Optional<String> header = request.authorization();
    Optional<String> postedId = request.parameters().optional("client_id");
    Optional<String> postedSecret = request.parameters().optional("client_secret");
    boolean assertion = request.parameters().has("client_assertion")
      || request.parameters().has("client_assertion_type");
    int methods = (header.isPresent() ? 1 : 0) + (postedSecret.isPresent() ? 1 : 0) + (assertion ? 1 : 0);
    if (methods > 1) {
      throw OAuthException.invalidRequest("the client used more than one authentication method");
    }
    ClientCredentials credentials;
    if (header.isPresent()) {
      credentials = basic(header.get());
    } else if (postedSecret.isPresent()) {
      credentials = new Secret(ClientAuthMethod.CLIENT_SECRET_POST, postedId.orElseThrow(() ->
        OAuthException.invalidRequest("missing parameter client_id")), postedSecret.get());
    } else if (assertion) {
      credentials = assertion(request.parameters().required("client_assertion_type"),
        request.parameters().required("client_assertion"));
    } else if (postedId.isPresent() && !request.clientCertificates().isEmpty()) {
      return new Certificate(postedId.get(), request.clientCertificates());
    } else {
      // A public client (client_id alone) or no client at all: this server has no public clients.
      throw OAuthException.invalidClient("client authentication is required");
    }
    if (postedId.isPresent() && !postedId.get().equals(credentials.clientId())) {
      throw OAuthException.invalidRequest("client_id does not match the authenticated client");
    }
    return credentials;
  }

  /** RFC 6749 §2.3.1: the id and secret are form-urlencoded, then joined by ':' and base64-encoded. */
  private static Secret basic(String header) {
    String scheme = "basic ";
    if (header.length() <= scheme.length() || !header.regionMatches(true, 0, scheme, 0, scheme.length())) {
      throw OAuthException.invalidClient("unsupported authorization scheme");
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(header.substring(scheme.length()).strip());
    } catch (IllegalArgumentException e) {
      throw OAuthException.invalidClient("malformed Basic credentials");
    }
    int colon = indexOf(decoded, (byte) ':');
    Optional<String> id = colon < 0 ? Optional.empty() : FormEncoding.decode(decoded, 0, colon);
    Optional<String> secret = colon < 0 ? Optional.empty() : FormEncoding.decode(decoded, colon + 1, decoded.length);
    if (id.isEmpty() || id.get().isEmpty() || secret.isEmpty() || secret.get().isEmpty()) {
      throw OAuthException.invalidClient("malformed Basic credentials");
    }
    return new Secret(ClientAuthMethod.CLIENT_SECRET_BASIC, id.get(), secret.get());
  }

  /**
   * RFC 7521 §4.2 and RFC 7523 §3: the client is the assertion's subject, which must also be its issuer. Only the
   * shape is checked here; the signature and claims are checked against the client's keys later.
   */
  private static Assertion assertion(String type, String value) {
    if (!JWT_BEARER.equals(type)) {
      throw OAuthException.invalidClient("unsupported client_assertion_type");
    }
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      if (value.length() > MAX_ASSERTION_LENGTH) {
        throw new ParseException("too long", 0);
      }
      jwt = SignedJWT.parse(value);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw OAuthException.invalidClient("malformed client assertion");
    }
    String subject = claims.getSubject();
    if (subject == null || subject.isEmpty() || !subject.equals(claims.getIssuer())) {
      throw OAuthException.invalidClient("a client assertion's iss and sub must both be the client_id");
    }
    // Only what a client id can be reaches the client lookup (a NUL there was a 500; found by fuzzing).
    if (!ClientRegistration.isValidClientId(subject)) {
      throw OAuthException.invalidClient("client authentication failed");
    }
    return new Assertion(subject, jwt, claims);
  }

  private static int indexOf(byte[] bytes, byte wanted) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }
}
