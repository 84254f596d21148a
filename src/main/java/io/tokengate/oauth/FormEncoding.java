package io.tokengate.oauth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Strict {@code application/x-www-form-urlencoded} decoding of one name or value: '+' is a space, %XX a byte,
 * and the bytes must be well-formed UTF-8 (no overlong forms, no surrogates) without NUL characters. Unlike
 * {@link java.net.URLDecoder}, nothing malformed is silently replaced.
 */
public final class FormEncoding {

  private FormEncoding() {
  }

  /** @return the decoded text, or empty if the input is malformed */
  public static Optional<String> decode(String encoded) {
    byte[] bytes = encoded.getBytes(StandardCharsets.UTF_8);
    return decode(bytes, 0, bytes.length);
  }

  /**
   * Decodes {@code source[from..to)}. Bytes other than '+' and '%XX' are taken as they are, so raw UTF-8 (which
   * some clients send unencoded) decodes too.
   *
   * @return the decoded text, or empty if the input is malformed
   */
  public static Optional<String> decode(byte[] source, int from, int to) {
    byte[] bytes = new byte[to - from];
    int length = 0;
    for (int i = from; i < to; i++) {
      byte b = source[i];
      if (b == '+') {
        bytes[length++] = ' ';
      } else if (b == '%') {
        if (i + 2 >= to) {
          return Optional.empty();
        }
        int high = Character.digit(source[i + 1], 16);
        int low = Character.digit(source[i + 2], 16);
        if (high < 0 || low < 0) {
          return Optional.empty();
        }
        bytes[length++] = (byte) (high << 4 | low);
        i += 2;
      } else {
        bytes[length++] = b;
      }
    }
    return utf8(ByteBuffer.wrap(bytes, 0, length));
  }

  /** Strict UTF-8 without NUL characters, or empty. */
  public static Optional<String> utf8(ByteBuffer bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer chars = decoder.decode(bytes);
      for (int i = 0; i < chars.length(); i++) {
        if (chars.charAt(i) == '\0') {
          return Optional.empty();
        }
      }
      return Optional.of(chars.toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
