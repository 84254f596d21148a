package io.tokengate.http;

import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.tokengate.oauth.Parameters;
import io.tokengate.support.Fuzz;
import io.tokengate.support.FuzzInputs;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The form body is the first thing the token endpoint reads from a client, so any bytes at all must end in
 * parameters or in {@code invalid_request}, and what a client encodes must come back exactly.
 */
class FormParserFuzzTest {

  private static final List<String> KNOWN_NAMES = List.of("grant_type", "username", "password", "scope", "client_id",
    "client_secret", "refresh_token", "token", "token_type_hint", "client_assertion", "client_assertion_type", "otp");
  /** Every description FormParser may give; none may carry what the client sent, except a known name. */
  private static final Pattern DESCRIPTIONS = Pattern.compile("too many parameters"
    + "|malformed form body: a parameter has no name"
    + "|malformed form body: bad percent-encoding or invalid UTF-8"
    + "|a parameter is repeated"
    + "|parameter (" + String.join("|", KNOWN_NAMES) + ") is repeated");
  private static final String MALFORMED = "malformed form body: bad percent-encoding or invalid UTF-8";
  private static final String FORM_SPECIALS = "%+&= 0123456789abcdefABCDEF\0";
  /** Characters that have a meaning in a form body, and others clients get wrong. */
  private static final String VALUE_SPECIALS = "+%&=  :/?#;*~\"'\\";

  @Test
  void anyBytesParseOrAreInvalidRequest() {
    Fuzz.tries(300_000).shrinking(FuzzInputs::smallerBytes)
      .check(random -> FuzzInputs.bytes(random, 600, FORM_SPECIALS), FormParserFuzzTest::parsesOrIsInvalidRequest)
      .reached("parsed", 0.05);
  }

  @Test
  void damagedFormBodiesParseOrAreInvalidRequest() {
    Fuzz.tries(100_000).shrinking(FuzzInputs::smallerBytes)
      .check(random -> FuzzInputs.mutate(random, body(random, pairs(random, 8), FormParserFuzzTest::anyEncoding)),
        FormParserFuzzTest::parsesOrIsInvalidRequest)
      .reached("parsed", 0.2)
      .reached("rejected", 0.2);
  }

  @Test
  void formEncodedParametersParseBackToThemselves() {
    Fuzz.tries(20_000).check(random -> new Form(pairs(random, FormParser.MAX_PARAMETERS), random.nextLong()), form -> {
      SplittableRandom encoding = new SplittableRandom(form.encodingSeed);
      Parameters parsed = FormParser.parse(body(encoding, form.pairs, FormParserFuzzTest::anyEncoding));
      for (Map.Entry<String, String> pair : form.pairs.entrySet()) {
        if (pair.getValue().isEmpty()) {
          // RFC 6749 §3.1: sent without a value is treated as omitted.
          assertFalse(parsed.has(pair.getKey()), pair.getKey());
        } else {
          assertEquals(pair.getValue(), parsed.required(pair.getKey()), pair.getKey());
        }
      }
      return "parsed";
    });
  }

  @Test
  void urlEncoderOutputParsesBackToThemselves() {
    Fuzz.tries(20_000).check(random -> new Form(pairs(random, FormParser.MAX_PARAMETERS), 0), form -> {
      Parameters parsed = FormParser.parse(body(new SplittableRandom(0), form.pairs,
        (random, text) -> URLEncoder.encode(text, StandardCharsets.UTF_8)));
      form.pairs.forEach((name, value) -> assertEquals(value.isEmpty() ? null : value,
        parsed.optional(name).orElse(null), name));
      return "parsed";
    });
  }

  @Test
  void moreThanTheMaximumOfParametersIsRefused() {
    Fuzz.tries(300).check(random -> {
      Map<String, String> pairs = new LinkedHashMap<>();
      int count = FuzzInputs.between(random, FormParser.MAX_PARAMETERS + 1, 4 * FormParser.MAX_PARAMETERS);
      while (pairs.size() < count) {
        pairs.put(FuzzInputs.unicode(random, 1, 12, VALUE_SPECIALS), FuzzInputs.unicode(random, 0, 8, VALUE_SPECIALS));
      }
      return new Form(pairs, random.nextLong());
    }, form -> {
      assertEquals("too many parameters", rejection(body(new SplittableRandom(form.encodingSeed), form.pairs,
        FormParserFuzzTest::anyEncoding)).description());
      return "refused";
    });
  }

  @Test
  void aRepeatedParameterIsRefusedHoweverItIsEncoded() {
    Fuzz.tries(15_000).check(random -> new Form(pairs(random, FormParser.MAX_PARAMETERS - 1), random.nextLong()),
      form -> {
        if (form.pairs.isEmpty()) {
          return "no pairs";
        }
        SplittableRandom random = new SplittableRandom(form.encodingSeed);
        List<String> segments = segments(random, form.pairs, FormParserFuzzTest::anyEncoding);
        String name = FuzzInputs.pick(random, new ArrayList<>(form.pairs.keySet()));
        String again = anyEncoding(random, name) + "=" + anyEncoding(random, FuzzInputs.unicode(random, 0, 8, ""));
        segments.add(random.nextInt(segments.size() + 1), again);
        String description = rejection(latin1Bytes(join(segments))).description();
        assertEquals(KNOWN_NAMES.contains(name) ? "parameter " + name + " is repeated" : "a parameter is repeated",
          description);
        return "refused";
      }).reached("refused", 0.9);
  }

  @Test
  void malformedUtf8AndBadPercentEscapesAreInvalidRequest() {
    Fuzz.tries(30_000).check(random -> new Form(pairs(random, 8), random.nextLong()), form -> {
      SplittableRandom random = new SplittableRandom(form.encodingSeed);
      Map<String, String> pairs = new LinkedHashMap<>(form.pairs);
      pairs.putIfAbsent(FuzzInputs.pick(random, KNOWN_NAMES), FuzzInputs.unicode(random, 0, 12, VALUE_SPECIALS));
      List<String> segments = segments(random, pairs, FormParserFuzzTest::anyEncoding);
      int damaged = random.nextInt(segments.size());
      String segment = segments.get(damaged);
      // At a character boundary of the encoded segment: never inside a %XX escape or a raw UTF-8 sequence.
      int at = boundary(random, segment);
      segments.set(damaged, segment.substring(0, at) + malformed(random, at == segment.length())
        + segment.substring(at));
      byte[] body = latin1Bytes(join(segments));
      OAuthException rejected = rejection(body);
      assertEquals(OAuthError.INVALID_REQUEST, rejected.error());
      assertEquals(MALFORMED, rejected.description());
      return "refused";
    });
  }

  private static String parsesOrIsInvalidRequest(byte[] body) {
    try {
      FormParser.parse(body);
      return "parsed";
    } catch (OAuthException e) {
      assertEquals(OAuthError.INVALID_REQUEST, e.error());
      assertEquals(400, e.status());
      if (!DESCRIPTIONS.matcher(e.description()).matches()) {
        fail("unexpected description: " + e.description());
      }
      return "rejected";
    }
  }

  private static OAuthException rejection(byte[] body) {
    return assertThrows(OAuthException.class, () -> FormParser.parse(body));
  }

  /** Parameters to send, and the seed that chooses how each character of them is encoded. */
  private record Form(Map<String, String> pairs, long encodingSeed) {
    @Override
    public String toString() {
      return pairs.entrySet().stream()
        .map(pair -> FuzzInputs.describe(pair.getKey()) + "=" + FuzzInputs.describe(pair.getValue())).toList()
        + " encoded with seed " + encodingSeed;
    }
  }

  /** Up to {@code max} distinct names, known ones and any others, with any values (some empty). */
  private static Map<String, String> pairs(SplittableRandom random, int max) {
    Map<String, String> pairs = new LinkedHashMap<>();
    int count = FuzzInputs.length(random, max);
    for (int i = 0; i < count; i++) {
      String name = random.nextBoolean() ? FuzzInputs.pick(random, KNOWN_NAMES)
        : FuzzInputs.unicode(random, 1, 16, VALUE_SPECIALS);
      pairs.put(name, FuzzInputs.unicode(random, 0, 40, VALUE_SPECIALS));
    }
    return pairs;
  }

  private interface Encoder {
    String encode(SplittableRandom random, String text);
  }

  private static byte[] body(SplittableRandom random, Map<String, String> pairs, Encoder encoder) {
    return latin1Bytes(join(segments(random, pairs, encoder)));
  }

  /** name=value segments, some without '=' when the value is empty, with stray empty segments between them. */
  private static List<String> segments(SplittableRandom random, Map<String, String> pairs, Encoder encoder) {
    List<String> segments = new ArrayList<>();
    pairs.forEach((name, value) -> {
      if (random.nextInt(8) == 0) {
        segments.add("");
      }
      segments.add(value.isEmpty() && random.nextBoolean() ? encoder.encode(random, name)
        : encoder.encode(random, name) + "=" + encoder.encode(random, value));
    });
    return segments;
  }

  private static String join(List<String> segments) {
    return String.join("&", segments);
  }

  /**
   * How clients really encode: each character percent-encoded (either hex case) or sent as raw UTF-8 when it has no
   * meaning in a form body, and a space as '+' or %20. The result holds one char per byte.
   */
  private static String anyEncoding(SplittableRandom random, String text) {
    StringBuilder encoded = new StringBuilder();
    text.codePoints().forEach(c -> {
      byte[] utf8 = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8);
      if (c == ' ' && random.nextBoolean()) {
        encoded.append('+');
      } else if ("&=+%".indexOf(c) >= 0 || random.nextBoolean()) {
        encoded.append(FuzzInputs.percentEncoded(random, utf8));
      } else {
        encoded.append(new String(utf8, StandardCharsets.ISO_8859_1));
      }
    });
    return encoded.toString();
  }

  /**
   * A malformed UTF-8 sequence (raw or percent-encoded), or a broken percent escape; one cut short ("%", "%1") only
   * at the end of a segment, where what follows cannot complete it.
   */
  private static String malformed(SplittableRandom random, boolean atEnd) {
    return switch (random.nextInt(4)) {
      case 0 -> new String(FuzzInputs.malformedUtf8(random), StandardCharsets.ISO_8859_1);
      case 1, 2 -> FuzzInputs.percentEncoded(random, FuzzInputs.malformedUtf8(random));
      default -> atEnd && random.nextBoolean() ? FuzzInputs.pick(random, "%", "%1", "%a")
        : FuzzInputs.pick(random, "%G0", "%0G", "%%", "%-1", "%+1", "% 1", "%\u00ff1", "%1\u00e9");
    };
  }

  /** A position in an encoded segment that is neither inside a %XX escape nor inside a raw UTF-8 sequence. */
  private static int boundary(SplittableRandom random, String segment) {
    List<Integer> boundaries = new ArrayList<>();
    for (int i = 0; i <= segment.length(); i++) {
      boolean inEscape = i >= 1 && segment.charAt(i - 1) == '%' || i >= 2 && segment.charAt(i - 2) == '%';
      boolean beforeContinuation = i < segment.length() && (segment.charAt(i) & 0xC0) == 0x80;
      if (!inEscape && !beforeContinuation) {
        boundaries.add(i);
      }
    }
    return FuzzInputs.pick(random, boundaries);
  }

  private static byte[] latin1Bytes(String oneCharPerByte) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (char c : oneCharPerByte.toCharArray()) {
      if (c > 0xFF) {
        throw new IllegalStateException("not one char per byte: " + (int) c);
      }
      bytes.write(c);
    }
    return bytes.toByteArray();
  }
}
