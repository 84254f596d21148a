package io.tokengate.support;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random JOSE for {@link Fuzz} properties: compact serializations whose parts are base64url JSON headers and claims
 * (well-formed or not, with the members parsers look at holding values of every JSON type), keys, signatures and
 * plain garbage.
 */
public final class FuzzJose {

  private static final String[] ALGORITHMS = {"none", "None", "HS256", "HS512", "ES256", "ES384", "ES512", "ES256K",
    "RS256", "RS512", "PS256", "PS384", "EdDSA", "Ed25519", "Ed448", "RSA-OAEP", "RSA-OAEP-256", "dir", "A128KW",
    "PBES2-HS256+A128KW", "ECDH-ES", ""};
  private static final String[] HEADER_MEMBERS = {"alg", "typ", "jwk", "kid", "crit", "b64", "x5c", "x5u", "jku",
    "x5t", "x5t#S256", "cty", "enc", "zip", "p2c", "p2s", "epk", "iv", "tag", "nonce"};
  private static final String[] CLAIM_MEMBERS = {"iss", "sub", "aud", "exp", "iat", "nbf", "jti", "htm", "htu", "ath",
    "cnf", "scope", "client_id", "nonce"};
  private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  /** A real P-256 public key, so that some generated headers carry a key Nimbus accepts. */
  private static final ECKey EC_KEY = generateEcKey();

  private FuzzJose() {
  }

  /** A compact serialization: mostly three parts, sometimes five (a JWE's) or any other number. */
  public static String compact(SplittableRandom random) {
    int parts = switch (random.nextInt(10)) {
      case 0 -> FuzzInputs.between(random, 1, 7);
      case 1 -> 5;
      default -> 3;
    };
    List<String> segments = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      segments.add(switch (random.nextInt(12)) {
        case 0 -> FuzzInputs.text(random, 40, BASE64URL + ".=+/ ");
        case 1 -> "";
        case 2 -> randomBase64Url(random, 64);
        default -> i == 0 ? encoded(random, header(random)) : i == 1 ? encoded(random, claims(random))
          : randomBase64Url(random, 96);
      });
    }
    return String.join(".", segments);
  }

  /**
   * A JWS that gets past shape checks more often than {@link #compact}: a signing algorithm, issuer and subject alike,
   * the other registered claims of any type, and a random signature.
   */
  public static String plausibleJws(SplittableRandom random) {
    // Now and then any UTF-16 at all: JSON can carry NUL and lone surrogates that no form parameter may hold.
    String client = random.nextInt(8) == 0 ? FuzzInputs.text(random, 8, "\0") : FuzzInputs.unicode(random, 1, 16, ":/");
    StringBuilder claims = new StringBuilder("{");
    member(claims, "iss", quoted(client));
    member(claims, "sub", quoted(client));
    int extra = FuzzInputs.length(random, 5);
    for (int i = 0; i < extra; i++) {
      member(claims, FuzzInputs.pick(random, CLAIM_MEMBERS), value(random, 2));
    }
    String header = "{\"alg\":" + quoted(FuzzInputs.pick(random, "HS256", "ES256", "RS256", "PS256", "EdDSA"))
      + (random.nextBoolean() ? ",\"typ\":\"JWT\"" : "") + "}";
    return encoded(random, header) + "." + encoded(random, claims.append('}').toString()) + "."
      + randomBase64Url(random, 64);
  }

  /** base64url of the JSON, sometimes damaged: cut short, with padding, or with characters base64url lacks. */
  public static String encoded(SplittableRandom random, String json) {
    String encoded = FuzzInputs.base64Url(json.getBytes(StandardCharsets.UTF_8));
    return switch (random.nextInt(16)) {
      case 0 -> encoded.substring(0, random.nextInt(encoded.length() + 1));
      case 1 -> encoded + "==";
      case 2 -> FuzzInputs.mutate(random, encoded, BASE64URL + "=+/ \t");
      default -> encoded;
    };
  }

  /** A JOSE header: JSON object of the registered members and random ones, now and then malformed JSON. */
  public static String header(SplittableRandom random) {
    StringBuilder json = new StringBuilder("{");
    member(json, "alg", random.nextInt(8) == 0 ? value(random, 2) : quoted(FuzzInputs.pick(random, ALGORITHMS)));
    if (random.nextInt(4) > 0) {
      member(json, "typ", random.nextInt(6) == 0 ? value(random, 2)
        : quoted(FuzzInputs.pick(random, "dpop+jwt", "DPoP+JWT", "JWT", "at+jwt", "application/dpop+jwt", "")));
    }
    if (random.nextInt(3) > 0) {
      member(json, "jwk", random.nextInt(6) == 0 ? value(random, 3) : jwk(random));
    }
    int extra = FuzzInputs.length(random, 4);
    for (int i = 0; i < extra; i++) {
      member(json, FuzzInputs.pick(random, HEADER_MEMBERS), value(random, 3));
    }
    return malformedNowAndThen(random, json.append('}').toString());
  }

  /** JWT claims: issuer and subject often equal, the DPoP ones, any others; values of every JSON type. */
  public static String claims(SplittableRandom random) {
    StringBuilder json = new StringBuilder("{");
    String client = FuzzInputs.unicode(random, 0, 12, ":/");
    if (random.nextInt(4) > 0) {
      member(json, "iss", random.nextInt(6) == 0 ? value(random, 2) : quoted(client));
    }
    if (random.nextInt(4) > 0) {
      member(json, "sub", random.nextInt(6) == 0 ? value(random, 2) : quoted(client));
    }
    int extra = FuzzInputs.length(random, 6);
    for (int i = 0; i < extra; i++) {
      member(json, FuzzInputs.pick(random, CLAIM_MEMBERS), value(random, 3));
    }
    return malformedNowAndThen(random, json.append('}').toString());
  }

  /** A JWK: the real P-256 key, or one of any kty with random (often invalid) members, private ones too. */
  public static String jwk(SplittableRandom random) {
    if (random.nextInt(4) == 0) {
      return EC_KEY.toPublicJWK().toJSONString();
    }
    StringBuilder json = new StringBuilder("{");
    String kty = FuzzInputs.pick(random, "EC", "RSA", "OKP", "oct", "ec", "");
    member(json, "kty", quoted(kty));
    switch (kty) {
      case "EC" -> {
        member(json, "crv", quoted(FuzzInputs.pick(random, "P-256", "P-384", "P-521", "secp256k1", "X25519")));
        member(json, "x", quoted(randomBase64Url(random, 70)));
        member(json, "y", quoted(randomBase64Url(random, 70)));
      }
      case "RSA" -> {
        member(json, "n", quoted(randomBase64Url(random, FuzzInputs.pick(random, 1, 64, 256, 257, 512))));
        member(json, "e", quoted(FuzzInputs.pick(random, "AQAB", "AA", "AQ", "Aw", randomBase64Url(random, 8))));
      }
      case "OKP" -> {
        member(json, "crv", quoted(FuzzInputs.pick(random, "Ed25519", "Ed448", "X25519")));
        member(json, "x", quoted(randomBase64Url(random, FuzzInputs.pick(random, 31, 32, 33, 57))));
      }
      default -> member(json, "k", quoted(randomBase64Url(random, 32)));
    }
    if (random.nextInt(8) == 0) {
      member(json, "d", quoted(randomBase64Url(random, 32)));
    }
    if (random.nextInt(8) == 0) {
      member(json, FuzzInputs.pick(random, "alg", "use", "key_ops", "kid", "x5c", "ext"), value(random, 2));
    }
    return json.append('}').toString();
  }

  /** Any JSON value, nested up to {@code depth}; strings hold any text, numbers any magnitude. */
  public static String value(SplittableRandom random, int depth) {
    int kind = random.nextInt(depth > 0 ? 9 : 6);
    return switch (kind) {
      case 0, 1 -> quoted(FuzzInputs.text(random, 24, "\"\\/:."));
      case 2 -> FuzzInputs.pick(random, "0", "-0", "1", "-1", "1.5", "1e3", "1E400", "-1e400", "9223372036854775807",
        "9223372036854775808", "-9223372036854775809", "1e-400", "123456789012345678901234567890", "4.9e-324");
      case 3 -> String.valueOf(random.nextLong(-4_000_000_000L, 4_000_000_000L));
      case 4 -> FuzzInputs.pick(random, "true", "false", "null");
      case 5 -> quoted(FuzzInputs.pick(random, "POST", "https://as.example.com/oauth2/token", "dpop+jwt", "ES256"));
      case 6, 7 -> {
        StringBuilder array = new StringBuilder("[");
        int length = FuzzInputs.length(random, 4);
        for (int i = 0; i < length; i++) {
          array.append(i > 0 ? "," : "").append(value(random, depth - 1));
        }
        yield array.append(']').toString();
      }
      default -> {
        StringBuilder object = new StringBuilder("{");
        int length = FuzzInputs.length(random, 4);
        for (int i = 0; i < length; i++) {
          member(object, FuzzInputs.text(random, 8, "\"\\"), value(random, depth - 1));
        }
        yield object.append('}').toString();
      }
    };
  }

  /** A JSON string literal of any text: quotes, backslashes, controls and lone surrogates escaped as JSON allows. */
  public static String quoted(String text) {
    StringBuilder json = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20 || Character.isSurrogate(c)) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    return json.append('"').toString();
  }

  /** An object of the members in order, their values already JSON. */
  public static String object(Map<String, String> members) {
    StringBuilder json = new StringBuilder("{");
    members.forEach((name, value) -> member(json, name, value));
    return json.append('}').toString();
  }

  private static void member(StringBuilder object, String name, String jsonValue) {
    if (object.length() > 1) {
      object.append(',');
    }
    object.append(quoted(name)).append(':').append(jsonValue);
  }

  /** One in eight: cut short, a stray character, or nested deeper than any parser should follow. */
  private static String malformedNowAndThen(SplittableRandom random, String json) {
    if (random.nextInt(8) > 0) {
      return json;
    }
    return switch (random.nextInt(4)) {
      case 0 -> json.substring(0, random.nextInt(json.length()));
      case 1 -> FuzzInputs.mutate(random, json, "{}[]\":,\\ ");
      case 2 -> {
        // Deep enough to overflow a recursive parser's stack, short enough to pass the 8 KiB limits on proofs.
        int depth = FuzzInputs.between(random, 100, 3_000);
        yield "{\"alg\":\"ES256\",\"x\":" + "[".repeat(depth) + "]".repeat(random.nextBoolean() ? depth : 0) + "}";
      }
      default -> json + json;
    };
  }

  private static String randomBase64Url(SplittableRandom random, int maxBytes) {
    byte[] bytes = new byte[random.nextInt(maxBytes + 1)];
    random.nextBytes(bytes);
    return FuzzInputs.base64Url(bytes);
  }

  private static ECKey generateEcKey() {
    try {
      return new ECKeyGenerator(Curve.P_256).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
