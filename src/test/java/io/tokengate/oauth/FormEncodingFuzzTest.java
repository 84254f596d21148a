package io.tokengate.oauth;

import io.tokengate.support.Fuzz;
import io.tokengate.support.FuzzInputs;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Names, values and Basic credentials are all decoded here: any bytes must decode or be refused, never throw. */
class FormEncodingFuzzTest {

  private static final String SPECIALS = "%+0123456789abcdefABCDEF\0";

  /** Bytes and a range inside them. */
  private record Slice(byte[] source, int from, int to) {
    @Override
    public String toString() {
      return FuzzInputs.describe(source) + " [" + from + ", " + to + ")";
    }
  }

  @Test
  void anyRangeOfAnyBytesDecodesOrIsEmpty() {
    Fuzz.tries(100_000).check(FormEncodingFuzzTest::slice, slice -> {
      Optional<String> decoded = FormEncoding.decode(slice.source, slice.from, slice.to);
      decoded.ifPresent(text -> assertFalse(text.contains("\0"), "NUL is refused"));
      return decoded.isPresent() ? "decoded" : "refused";
    }).reached("decoded", 0.05).reached("refused", 0.05);
  }

  @Test
  void decodingReadsNothingOutsideItsRange() {
    Fuzz.tries(100_000).check(FormEncodingFuzzTest::slice, slice ->
      // A '%' near the end of the range must not borrow hex digits from the bytes after it.
      sameResult(FormEncoding.decode(Arrays.copyOfRange(slice.source, slice.from, slice.to), 0, slice.to - slice.from),
        FormEncoding.decode(slice.source, slice.from, slice.to)));
  }

  @Test
  void agreesWithUrlDecoderOnAsciiInput() {
    Fuzz.tries(100_000).shrinking(FuzzInputs::smallerText).check(random -> {
      StringBuilder text = new StringBuilder();
      int length = FuzzInputs.length(random, 40);
      for (int i = 0; i < length; i++) {
        text.append(random.nextInt(3) == 0 ? SPECIALS.charAt(random.nextInt(SPECIALS.length() - 1))
          : (char) FuzzInputs.between(random, 0x20, 0x7E));
      }
      return text.toString();
    }, text -> {
      Optional<String> decoded = FormEncoding.decode(text);
      String reference;
      try {
        reference = URLDecoder.decode(text, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        assertEquals(Optional.empty(), decoded, "URLDecoder refused it: " + e.getMessage());
        return "both refuse";
      }
      if (decoded.isPresent()) {
        assertEquals(reference, decoded.get());
        return "both decode";
      }
      // URLDecoder replaces malformed UTF-8 with U+FFFD where FormEncoding refuses; and it reads "%+1" and "%-1"
      // as hex (Integer.parseInt takes a sign), which is no percent-encoding.
      boolean lenient = reference.contains("\uFFFD") || reference.contains("\0") || text.contains("%+")
        || text.contains("%-");
      assertTrue(lenient, "refused what URLDecoder decodes to " + FuzzInputs.describe(reference));
      return "only URLDecoder decodes";
    }).reached("both decode", 0.2);
  }

  @Test
  void urlEncodedTextDecodesToItself() {
    Fuzz.tries(50_000).check(random -> FuzzInputs.unicode(random, 0, 40, "+%&= "), text -> {
      assertEquals(Optional.of(text), FormEncoding.decode(URLEncoder.encode(text, StandardCharsets.UTF_8)));
      return "decoded";
    });
  }

  private static Slice slice(SplittableRandom random) {
    byte[] source = FuzzInputs.bytes(random, 64, SPECIALS);
    int from = random.nextInt(source.length + 1);
    int to = FuzzInputs.between(random, from, source.length);
    return new Slice(source, from, to);
  }

  private static String sameResult(Optional<String> expected, Optional<String> actual) {
    assertEquals(expected, actual);
    return actual.isPresent() ? "decoded" : "refused";
  }
}
