package io.tokengate.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Random inputs for {@link Fuzz} properties: bytes and text biased towards the characters parsers treat specially,
 * Unicode from every plane, malformed UTF-8, and mutations of valid inputs.
 */
public final class FuzzInputs {

  /** Code points that break naive text handling: NUL, controls, BOM, a noncharacter, U+FFFD, astral ones. */
  private static final int[] AWKWARD_CODE_POINTS = {0x00, 0x09, 0x0A, 0x0D, 0x7F, 0x85, 0xA0, 0xFEFF, 0xFFFE, 0xFFFD,
    0x2028, 0x1F600, 0x10FFFF, 0x0301, 0xFF10, 0x0660};

  /** Malformed UTF-8 a strict decoder must refuse (RFC 3629 §3, §10). */
  private static final byte[][] MALFORMED_UTF8 = {
    {(byte) 0xC0, (byte) 0xAF},                           // overlong '/'
    {(byte) 0xC1, (byte) 0xBF},                           // overlong
    {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},              // overlong '/'
    {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF}, // overlong '/'
    {(byte) 0xC0, (byte) 0x80},                           // overlong NUL ("modified UTF-8")
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80},              // high surrogate
    {(byte) 0xED, (byte) 0xBF, (byte) 0xBF},              // low surrogate
    {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // past U+10FFFF
    {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
    {(byte) 0xFF}, {(byte) 0xFE}, {(byte) 0x80}, {(byte) 0xBF},
    {(byte) 0xC3},                                        // truncated 2-byte sequence
    {(byte) 0xE2, (byte) 0x82},                           // truncated 3-byte sequence
    {(byte) 0xF0, (byte) 0x9F, (byte) 0x98},              // truncated 4-byte sequence
    {(byte) 0xE2, (byte) 0x28, (byte) 0xA1},              // bad continuation
    {0x00},                                               // NUL: well-formed, but refused
  };

  private FuzzInputs() {
  }

  public static int between(SplittableRandom random, int min, int max) {
    return random.nextInt(min, max + 1);
  }

  /** Mostly short, sometimes long: small inputs find most bugs and keep tries fast. */
  public static int length(SplittableRandom random, int max) {
    return switch (random.nextInt(4)) {
      case 0 -> random.nextInt(Math.min(max, 4) + 1);
      case 1, 2 -> random.nextInt(Math.min(max, 32) + 1);
      default -> random.nextInt(max + 1);
    };
  }

  @SafeVarargs
  public static <T> T pick(SplittableRandom random, T... choices) {
    return choices[random.nextInt(choices.length)];
  }

  public static <T> T pick(SplittableRandom random, List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }

  /** Any bytes, a quarter of them from {@code special}. */
  public static byte[] bytes(SplittableRandom random, int maxLength, String special) {
    byte[] bytes = new byte[length(random, maxLength)];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = random.nextInt(4) == 0 && !special.isEmpty()
        ? (byte) special.charAt(random.nextInt(special.length()))
        : (byte) random.nextInt(256);
    }
    return bytes;
  }

  /** One code point: ASCII mostly, then Latin-1, the BMP (no surrogates), astral planes and awkward ones. */
  public static int codePoint(SplittableRandom random, String special) {
    return switch (random.nextInt(10)) {
      case 0, 1, 2 -> between(random, 0x20, 0x7E);
      case 3, 4 -> special.isEmpty() ? 'a' : special.codePointAt(random.nextInt(special.length()));
      case 5 -> between(random, 0xA0, 0xFF);
      case 6 -> {
        int c = between(random, 0x100, 0xFFFF);
        yield Character.isSurrogate((char) c) ? 0xE9 : c;
      }
      case 7 -> between(random, 0x10000, 0x10FFFF);
      case 8 -> AWKWARD_CODE_POINTS[random.nextInt(AWKWARD_CODE_POINTS.length)];
      default -> between(random, 'a', 'z');
    };
  }

  /** Well-formed Unicode without NUL: what a strict parser must accept. */
  public static String unicode(SplittableRandom random, int minLength, int maxLength, String special) {
    StringBuilder text = new StringBuilder();
    int length = Math.max(minLength, length(random, maxLength));
    while (text.codePointCount(0, text.length()) < length) {
      int c = codePoint(random, special);
      text.appendCodePoint(c == 0 ? ' ' : c);
    }
    return text.toString();
  }

  /** Any UTF-16 text: lone surrogates, NUL and controls included. */
  public static String text(SplittableRandom random, int maxLength, String special) {
    StringBuilder text = new StringBuilder();
    int length = length(random, maxLength);
    for (int i = 0; i < length; i++) {
      if (random.nextInt(20) == 0) {
        text.append((char) between(random, 0xD800, 0xDFFF));
      } else if (random.nextInt(20) == 0) {
        text.append((char) random.nextInt(0x20));
      } else {
        text.appendCodePoint(codePoint(random, special));
      }
    }
    return text.toString();
  }

  public static byte[] malformedUtf8(SplittableRandom random) {
    return MALFORMED_UTF8[random.nextInt(MALFORMED_UTF8.length)].clone();
  }

  /** Each byte as %XX, upper- or lower-case hex at random. */
  public static String percentEncoded(SplittableRandom random, byte[] bytes) {
    StringBuilder encoded = new StringBuilder();
    for (byte b : bytes) {
      String hex = HexFormat.of().toHexDigits(b);
      encoded.append('%').append(random.nextBoolean() ? hex.toUpperCase() : hex);
    }
    return encoded.toString();
  }

  public static String base64(SplittableRandom random, byte[] bytes) {
    return random.nextInt(4) == 0
      ? Base64.getEncoder().withoutPadding().encodeToString(bytes)
      : Base64.getEncoder().encodeToString(bytes);
  }

  public static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A few random edits: replace, insert, delete, duplicate a span, or cut the end off. */
  public static String mutate(SplittableRandom random, String original, String alphabet) {
    StringBuilder text = new StringBuilder(original);
    int edits = between(random, 1, 3);
    for (int i = 0; i < edits; i++) {
      int at = text.length() == 0 ? 0 : random.nextInt(text.length());
      char c = random.nextInt(4) == 0 ? (char) codePoint(random, "")
        : alphabet.charAt(random.nextInt(alphabet.length()));
      switch (random.nextInt(6)) {
        case 0, 1 -> {
          if (text.length() > 0) {
            text.setCharAt(at, c);
          }
        }
        case 2 -> text.insert(at, c);
        case 3 -> {
          if (text.length() > 0) {
            text.deleteCharAt(at);
          }
        }
        case 4 -> {
          int end = Math.min(text.length(), at + between(random, 1, 8));
          text.insert(end, text.substring(at, end));
        }
        default -> text.setLength(at);
      }
    }
    return text.toString();
  }

  public static byte[] mutate(SplittableRandom random, byte[] original) {
    byte[] bytes = original.clone();
    int edits = between(random, 1, 4);
    for (int i = 0; i < edits && bytes.length > 0; i++) {
      int at = random.nextInt(bytes.length);
      switch (random.nextInt(5)) {
        case 0, 1 -> bytes[at] = (byte) random.nextInt(256);
        case 2 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
        case 3 -> bytes = Arrays.copyOf(bytes, at);
        default -> bytes[at] = pick(random, (byte) 0x00, (byte) 0x7F, (byte) 0x80, (byte) 0x81, (byte) 0x84,
          (byte) 0xFF);
      }
    }
    return bytes;
  }

  /** Escaped so that every byte and character of a failing input is visible and can be pasted into Java. */
  public static String describe(Object input) {
    if (input instanceof byte[] bytes) {
      return "bytes[" + bytes.length + "] \"" + escape(new String(bytes, StandardCharsets.ISO_8859_1), true) + "\"";
    }
    if (input instanceof String text) {
      return "\"" + escape(text, false) + "\"";
    }
    if (input instanceof Collection<?> items) {
      return items.stream().map(FuzzInputs::describe).collect(Collectors.joining(", ", "[", "]"));
    }
    return String.valueOf(input);
  }

  private static String escape(String text, boolean bytes) {
    StringBuilder escaped = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        escaped.append('\\').append(c);
      } else if (c >= 0x20 && c <= 0x7E) {
        escaped.append(c);
      } else if (bytes) {
        escaped.append(String.format("\\x%02X", (int) c));
      } else {
        escaped.append(String.format("\\u%04X", (int) c));
      }
    }
    return escaped.toString();
  }

  /** Shrinkers for the common input types: remove ever smaller chunks. */
  public static List<byte[]> smallerBytes(byte[] bytes) {
    List<byte[]> candidates = new ArrayList<>();
    for (int chunk = Math.max(1, bytes.length / 2); chunk >= 1; chunk /= 2) {
      for (int start = 0; start + chunk <= bytes.length; start += chunk) {
        byte[] smaller = new byte[bytes.length - chunk];
        System.arraycopy(bytes, 0, smaller, 0, start);
        System.arraycopy(bytes, start + chunk, smaller, start, bytes.length - start - chunk);
        candidates.add(smaller);
      }
      if (chunk == 1) {
        break;
      }
    }
    return candidates;
  }

  public static List<String> smallerText(String text) {
    List<String> candidates = new ArrayList<>();
    for (int chunk = Math.max(1, text.length() / 2); chunk >= 1; chunk /= 2) {
      for (int start = 0; start + chunk <= text.length(); start += chunk) {
        candidates.add(text.substring(0, start) + text.substring(start + chunk));
      }
      if (chunk == 1) {
        break;
      }
    }
    return candidates;
  }
}
