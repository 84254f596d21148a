package io.tokengate.tls;

import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.tokengate.support.Fuzz;
import io.tokengate.support.FuzzInputs;
import io.tokengate.support.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Client-Cert headers of RFC 9440 arrive from a proxy, but the proxy passes through whatever its client sent:
 * any values must end in certificates or in {@code invalid_request}, and the RFC 8941 syntax a proxy may use around
 * a certificate (parameters, spaces, list separators) must not change which certificate it is.
 */
class ClientCertHeaderFuzzTest {

  private static final Set<String> DESCRIPTIONS = Set.of("malformed Client-Cert header",
    "malformed Client-Cert-Chain header");
  private static final String SF_CHARS = ":;=,\"?*- \t0123456789abcAB+/";

  private static List<X509Certificate> chain;
  private static List<byte[]> der;

  /** The two header values of one request; null where the header was not sent. */
  private record Headers(String clientCert, String clientCertChain) {
    @Override
    public String toString() {
      return "Client-Cert: " + FuzzInputs.describe(clientCert) + "\n  Client-Cert-Chain: "
        + FuzzInputs.describe(clientCertChain);
    }
  }

  @BeforeAll
  static void issueCertificates() throws Exception {
    TestCertificates.Issued ca = TestCertificates.ca("CN=Fuzz CA");
    TestCertificates.Issued client = TestCertificates.leaf("CN=fuzz-client").clientAuth().signedBy(ca);
    chain = List.of(client.certificate(), ca.certificate());
    der = new ArrayList<>();
    for (X509Certificate certificate : chain) {
      der.add(certificate.getEncoded());
    }
  }

  @Test
  void anyHeaderValuesAreCertificatesOrInvalidRequest() {
    Fuzz.tries(40_000).check(random -> new Headers(value(random), random.nextBoolean() ? null : list(random)),
      headers -> {
        try {
          List<X509Certificate> certificates = ClientCertHeader.parse(headers.clientCert, headers.clientCertChain);
          assertTrue(certificates.size() <= 1 + ClientCertHeader.MAX_CHAIN_CERTIFICATES);
          return certificates.isEmpty() ? "none" : "certificates";
        } catch (OAuthException e) {
          assertEquals(OAuthError.INVALID_REQUEST, e.error());
          assertTrue(DESCRIPTIONS.contains(e.description()), e.description());
          return "invalid_request";
        }
      }).reached("certificates", 0.1).reached("invalid_request", 0.3);
  }

  @Test
  void structuredFieldSyntaxAroundACertificateDoesNotChangeIt() {
    Fuzz.tries(20_000).check(random -> {
      List<String> members = new ArrayList<>();
      int count = FuzzInputs.between(random, 0, 3);
      for (int i = 0; i < count; i++) {
        members.add(byteSequence(random, der.get(random.nextInt(der.size()))) + parameters(random));
      }
      String separator = FuzzInputs.pick(random, ",", ", ", " ,", "\t,\t", " , ");
      return new Headers(" ".repeat(random.nextInt(3)) + byteSequence(random, der.get(0)) + parameters(random)
        + " ".repeat(random.nextInt(3)), String.join(separator, members) + FuzzInputs.pick(random, "", " ", "\t"));
    }, headers -> {
      List<X509Certificate> certificates = ClientCertHeader.parse(headers.clientCert, headers.clientCertChain);
      assertEquals(chain.get(0), certificates.get(0));
      return certificates.size() + " certificates";
    });
  }

  @Test
  void damagedCertificatesAreInvalidRequestOrStillACertificate() {
    Fuzz.tries(40_000).check(random -> {
      byte[] damaged = FuzzInputs.mutate(random, der.get(random.nextInt(der.size())));
      return new Headers(":" + Base64.getEncoder().encodeToString(damaged) + ":", null);
    }, headers -> {
      try {
        // A flipped byte in a signature or a name still parses: checking it is the verifier's job, not the parser's.
        return ClientCertHeader.parse(headers.clientCert, null).size() == 1 ? "parsed" : "?";
      } catch (OAuthException e) {
        assertEquals(OAuthError.INVALID_REQUEST, e.error());
        return "invalid_request";
      }
    }).reached("invalid_request", 0.5);
  }

  /** A Client-Cert value: a certificate, a damaged one, RFC 8941-like pieces, or any text; sometimes blank. */
  private static String value(SplittableRandom random) {
    return switch (random.nextInt(8)) {
      case 0 -> null;
      case 1 -> FuzzInputs.pick(random, "", " ", "\t", "::", ":=:", ":AA==:", ":A:");
      case 2 -> FuzzInputs.text(random, 80, SF_CHARS);
      case 3 -> FuzzInputs.mutate(random, byteSequence(random, der.get(0)), SF_CHARS);
      case 4 -> sfPieces(random);
      default -> byteSequence(random, der.get(random.nextInt(der.size()))) + parameters(random);
    };
  }

  /** A Client-Cert-Chain value: members of any kind, joined as a list (or nearly). */
  private static String list(SplittableRandom random) {
    List<String> members = new ArrayList<>();
    int count = FuzzInputs.length(random, ClientCertHeader.MAX_CHAIN_CERTIFICATES + 2);
    for (int i = 0; i < count; i++) {
      String member = value(random);
      members.add(member == null ? "" : member);
    }
    return String.join(FuzzInputs.pick(random, ", ", ",", " , ", ";", ",,"), members);
  }

  private static String sfPieces(SplittableRandom random) {
    StringBuilder value = new StringBuilder();
    int pieces = FuzzInputs.between(random, 1, 12);
    for (int i = 0; i < pieces; i++) {
      value.append(FuzzInputs.pick(random, ":", ";", "=", ",", " ", "\t", "?1", "?2", "\"", "\\", "\"a\\\"b\"", "*",
        "-", "1.5", "12345678901234567", "1.2345", "a", "key", "tok/en:x", ":AQAB:", ":####:", "\u00e9", "\u0000"));
    }
    return value.toString();
  }

  /** RFC 8941 §3.1.2 parameters of every bare item type, with optional spaces after each ';'. */
  private static String parameters(SplittableRandom random) {
    StringBuilder parameters = new StringBuilder();
    int count = FuzzInputs.length(random, 4);
    for (int i = 0; i < count; i++) {
      parameters.append(';').append(" ".repeat(random.nextInt(2)))
        .append(FuzzInputs.pick(random, "a", "b1", "*x", "k_-.*", "nonce", "ttl"));
      if (random.nextInt(4) > 0) {
        parameters.append('=').append(switch (random.nextInt(7)) {
          case 0 -> String.valueOf(random.nextLong(-999_999_999_999_999L, 999_999_999_999_999L));
          case 1 -> random.nextInt(-999_999, 999_999) + "." + FuzzInputs.between(random, 0, 999);
          case 2 -> "\"" + FuzzInputs.pick(random, "", "x y", "a\\\"b", "\\\\", "~!#") + "\"";
          case 3 -> FuzzInputs.pick(random, "tok", "*t", "t:o/k", "A!#$%&'*+-.^_`|~");
          case 4 -> ":" + Base64.getEncoder().encodeToString(FuzzInputs.bytes(random, 12, "")) + ":";
          case 5 -> FuzzInputs.pick(random, "?0", "?1");
          default -> String.valueOf(random.nextInt(1000));
        });
      }
    }
    return parameters.toString();
  }

  private static String byteSequence(SplittableRandom random, byte[] bytes) {
    return ":" + FuzzInputs.base64(random, bytes) + ":";
  }
}
