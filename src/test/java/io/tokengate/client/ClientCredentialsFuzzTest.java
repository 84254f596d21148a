package io.tokengate.client;

import io.tokengate.oauth.ClientForm;
import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.tokengate.oauth.Parameters;
import io.tokengate.support.Fuzz;
import io.tokengate.support.FuzzInputs;
import io.tokengate.support.FuzzJose;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Authorization header and the client's form parameters come straight from the network: whatever they hold,
 * reading the client's credentials ends in credentials or in an OAuth error, and Basic credentials a client encodes
 * by RFC 6749 §2.3.1 come back exactly.
 */
class ClientCredentialsFuzzTest {

  private static final String SCHEME_CHARS = "BasicBASIC \t:";
  /** What ids and secrets are made of: anything, including what form-encoding and Basic give a meaning to. */
  private static final String CREDENTIAL_SPECIALS = ":+%&= /";

  /** The Authorization header (or none) and the form parameters of one request. */
  private record Request(String authorization, Map<String, String> form) {
    @Override
    public String toString() {
      return "Authorization: " + FuzzInputs.describe(authorization) + ", form: " + form.entrySet().stream()
        .map(pair -> pair.getKey() + "=" + FuzzInputs.describe(pair.getValue())).toList();
    }
  }

  @Test
  void anyAuthorizationHeaderIsBasicCredentialsOrInvalidClient() {
    Fuzz.tries(200_000).check(random -> new Request(authorization(random), Map.of()), request -> {
      try {
        ClientCredentials.Secret secret = assertInstanceOf(ClientCredentials.Secret.class, from(request));
        assertEquals(ClientAuthMethod.CLIENT_SECRET_BASIC, secret.method());
        assertFalse(secret.clientId().isEmpty() || secret.secret().isEmpty());
        return "basic";
      } catch (OAuthException e) {
        // RFC 6749 §5.2: 401 with a challenge, so that the client learns to authenticate with Basic.
        assertEquals(OAuthError.INVALID_CLIENT, e.error());
        assertEquals(401, e.status());
        assertTrue(e.basicChallenge());
        return "invalid_client";
      }
    }).reached("basic", 0.03).reached("invalid_client", 0.3);
  }

  /** A client's id and secret, and the request that sends them in the Authorization header. */
  private record Basic(String id, String secret, Request request) {
  }

  @Test
  void basicCredentialsComeBackAsTheClientEncodedThem() {
    Fuzz.tries(60_000).check(random -> {
      String id = FuzzInputs.unicode(random, 1, 24, CREDENTIAL_SPECIALS);
      String secret = FuzzInputs.unicode(random, 1, 48, CREDENTIAL_SPECIALS);
      // RFC 6749 §2.3.1: each form-urlencoded, then joined by ':' and base64-encoded (RFC 7617).
      String joined = URLEncoder.encode(id, StandardCharsets.UTF_8) + ":"
        + URLEncoder.encode(secret, StandardCharsets.UTF_8);
      String header = FuzzInputs.pick(random, "Basic", "basic", "BASIC", "bAsIc")
        + " ".repeat(FuzzInputs.between(random, 1, 3))
        + Base64.getEncoder().encodeToString(joined.getBytes(StandardCharsets.UTF_8)) + " ".repeat(random.nextInt(3));
      // The client may also post its client_id (RFC 6749 §3.2.1), which must then be the same.
      Map<String, String> form = random.nextBoolean() ? Map.of("client_id", id) : Map.of();
      return new Basic(id, secret, new Request(header, form));
    }, basic -> {
      ClientCredentials.Secret credentials = assertInstanceOf(ClientCredentials.Secret.class, from(basic.request));
      assertEquals(basic.id, credentials.clientId());
      assertEquals(basic.secret, credentials.secret());
      return "basic";
    });
  }

  @Test
  void anyClientAssertionIsAnAssertionOrInvalidClient() {
    Fuzz.tries(50_000).check(random -> {
      Map<String, String> form = new LinkedHashMap<>();
      form.put("client_assertion_type", random.nextInt(8) > 0 ? ClientCredentials.JWT_BEARER
        : FuzzInputs.pick(random, "urn:ietf:params:oauth:client-assertion-type:saml2-bearer", "jwt", "",
          ClientCredentials.JWT_BEARER + " "));
      form.put("client_assertion", switch (random.nextInt(8)) {
        case 0 -> FuzzInputs.text(random, 100, ".=-_");
        case 1, 2 -> FuzzJose.plausibleJws(random);
        default -> FuzzJose.compact(random);
      });
      return new Request(null, form);
    }, request -> {
      try {
        ClientCredentials.Assertion assertion = assertInstanceOf(ClientCredentials.Assertion.class, from(request));
        // RFC 7523 §3: the client is the assertion's issuer and subject.
        assertEquals(assertion.clientId(), assertion.claims().getSubject());
        assertEquals(assertion.clientId(), assertion.claims().getIssuer());
        assertion.method();
        // The client id is looked up in PostgreSQL: only what a client id can be gets there (NulInJwtClaimsTest).
        assertTrue(ClientRegistration.isValidClientId(assertion.clientId()), assertion.clientId());
        return "assertion";
      } catch (OAuthException e) {
        assertEquals(OAuthError.INVALID_CLIENT, e.error());
        return "invalid_client";
      }
    }).reached("assertion", 0.005).reached("invalid_client", 0.5);
  }

  @Test
  void anyMixOfCredentialsIsOneMethodOrAnOAuthError() {
    Fuzz.tries(60_000).check(random -> {
      Map<String, String> form = new LinkedHashMap<>();
      for (String name : List.of("client_id", "client_secret", "client_assertion", "client_assertion_type")) {
        if (random.nextInt(3) == 0) {
          form.put(name, switch (name) {
            case "client_assertion" -> FuzzJose.compact(random);
            case "client_assertion_type" -> ClientCredentials.JWT_BEARER;
            default -> FuzzInputs.unicode(random, 1, 12, CREDENTIAL_SPECIALS);
          });
        }
      }
      return new Request(random.nextInt(3) == 0 ? authorization(random) : null, form);
    }, request -> {
      try {
        ClientCredentials credentials = from(request);
        Optional.ofNullable(request.form.get("client_id"))
          .ifPresent(postedId -> assertEquals(postedId, credentials.clientId()));
        return credentials.getClass().getSimpleName();
      } catch (OAuthException e) {
        assertTrue(e.error() == OAuthError.INVALID_CLIENT || e.error() == OAuthError.INVALID_REQUEST, e.error()::code);
        return e.error().code();
      }
    }).reached("invalid_request", 0.05).reached("Secret", 0.02);
  }

  private static ClientCredentials from(Request request) {
    return ClientCredentials.from(new ClientForm(new Parameters(request.form),
      Optional.ofNullable(request.authorization), List.of(), Optional.empty(), "https://as.example.com/oauth2/token"));
  }

  /** Any header: garbage, other schemes, and Basic with base64 of anything, with or without ':'. */
  private static String authorization(SplittableRandom random) {
    return switch (random.nextInt(6)) {
      case 0 -> FuzzInputs.text(random, 60, SCHEME_CHARS);
      case 1 -> FuzzInputs.pick(random, "Bearer ", "Digest ", "DPoP ", "Basic", "Basic\t", "Basic:", "Basicx ",
        "Basic  ", "") + FuzzInputs.base64(random, FuzzInputs.bytes(random, 48, ":%+"));
      case 2 -> FuzzInputs.mutate(random, basic(random), "ABCabc019+/=-_ :%\t");
      default -> basic(random);
    };
  }

  /** "Basic " and the base64 of bytes that often look like id:secret, percent-escapes and malformed UTF-8 included. */
  private static String basic(SplittableRandom random) {
    byte[] credentials = switch (random.nextInt(3)) {
      case 0 -> FuzzInputs.bytes(random, 48, ":%+0123456789ABCDEF");
      case 1 -> (FuzzInputs.unicode(random, 0, 12, CREDENTIAL_SPECIALS) + ":"
        + FuzzInputs.unicode(random, 0, 24, CREDENTIAL_SPECIALS)).getBytes(StandardCharsets.UTF_8);
      default -> {
        byte[] id = FuzzInputs.unicode(random, 1, 12, "").getBytes(StandardCharsets.UTF_8);
        byte[] malformed = FuzzInputs.malformedUtf8(random);
        byte[] joined = new byte[id.length + 1 + malformed.length];
        System.arraycopy(id, 0, joined, 0, id.length);
        joined[id.length] = ':';
        System.arraycopy(malformed, 0, joined, id.length + 1, malformed.length);
        yield random.nextBoolean() ? joined : FuzzInputs.mutate(random, joined);
      }
    };
    return FuzzInputs.pick(random, "Basic ", "basic ", "BASIC ") + FuzzInputs.base64(random, credentials);
  }
}
