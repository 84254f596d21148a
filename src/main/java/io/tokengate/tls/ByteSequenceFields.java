package io.tokengate.tls;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Just enough of RFC 8941 (Structured Field Values) to read the headers of RFC 9440: an Item or a List whose members
 * are Byte Sequences. Parameters are read past and ignored, as RFC 8941 asks of a recipient that does not know them.
 * Anything else fails with {@link IllegalArgumentException}.
 */
final class ByteSequenceFields {

  private final String field;
  private int position;

  private ByteSequenceFields(String field) {
    this.field = field;
  }

  /** RFC 8941 §4.2: the field as one Item that must be a Byte Sequence. */
  static byte[] item(String field) {
    ByteSequenceFields parser = new ByteSequenceFields(field);
    parser.skipSpaces();
    byte[] value = parser.byteSequenceMember();
    parser.skipSpaces();
    parser.requireEnd();
    return value;
  }

  /** RFC 8941 §4.2.1: the field as a List of Byte Sequences; at most {@code maxMembers}, else it fails. */
  static List<byte[]> list(String field, int maxMembers) {
    ByteSequenceFields parser = new ByteSequenceFields(field);
    List<byte[]> members = new ArrayList<>();
    parser.skipSpaces();
    while (!parser.atEnd()) {
      if (members.size() == maxMembers) {
        throw new IllegalArgumentException("more than " + maxMembers + " members");
      }
      members.add(parser.byteSequenceMember());
      parser.skipWhitespace();
      if (parser.atEnd()) {
        break;
      }
      parser.expect(',');
      parser.skipWhitespace();
      if (parser.atEnd()) {
        throw new IllegalArgumentException("trailing comma");
      }
    }
    return members;
  }

  private byte[] byteSequenceMember() {
    byte[] value = byteSequence();
    skipParameters();
    return value;
  }

  /** RFC 8941 §4.2.7: standard base64 (not base64url) between colons; padding may be left out. */
  private byte[] byteSequence() {
    expect(':');
    int start = position;
    while (!atEnd() && isBase64(peek())) {
      position++;
    }
    String base64 = field.substring(start, position);
    expect(':');
    return Base64.getDecoder().decode(base64);
  }

  /** RFC 8941 §4.2.3.2 */
  private void skipParameters() {
    while (!atEnd() && peek() == ';') {
      position++;
      skipSpaces();
      skipKey();
      if (!atEnd() && peek() == '=') {
        position++;
        skipBareItem();
      }
    }
  }

  private void skipKey() {
    if (atEnd() || !(isLowerAlpha(peek()) || peek() == '*')) {
      throw new IllegalArgumentException("parameter key expected at " + position);
    }
    while (!atEnd() && (isLowerAlpha(peek()) || isDigit(peek()) || "_-.*".indexOf(peek()) >= 0)) {
      position++;
    }
  }

  /** RFC 8941 §4.2.3.1 */
  private void skipBareItem() {
    if (atEnd()) {
      throw new IllegalArgumentException("parameter value expected at " + position);
    }
    char first = peek();
    if (first == '-' || isDigit(first)) {
      skipNumber();
    } else if (first == '"') {
      skipString();
    } else if (first == '*' || isAlpha(first)) {
      skipToken();
    } else if (first == ':') {
      byteSequence();
    } else if (first == '?') {
      position++;
      if (atEnd() || peek() != '0' && peek() != '1') {
        throw new IllegalArgumentException("boolean expected at " + position);
      }
      position++;
    } else {
      throw new IllegalArgumentException("unknown parameter value at " + position);
    }
  }

  /** RFC 8941 §4.2.4: at most 15 digits for an Integer, 12 before and 1-3 after the point for a Decimal. */
  private void skipNumber() {
    if (peek() == '-') {
      position++;
    }
    int integerDigits = skipDigits();
    if (integerDigits == 0 || integerDigits > 15) {
      throw new IllegalArgumentException("number expected at " + position);
    }
    if (!atEnd() && peek() == '.') {
      position++;
      int fractionDigits = skipDigits();
      if (integerDigits > 12 || fractionDigits == 0 || fractionDigits > 3) {
        throw new IllegalArgumentException("decimal expected at " + position);
      }
    }
  }

  private int skipDigits() {
    int start = position;
    while (!atEnd() && isDigit(peek())) {
      position++;
    }
    return position - start;
  }

  /** RFC 8941 §4.2.5: printable ASCII, with only {@code \"} and {@code \\} as escapes. */
  private void skipString() {
    position++;
    while (!atEnd()) {
      char c = field.charAt(position++);
      if (c == '"') {
        return;
      }
      if (c == '\\') {
        if (atEnd() || peek() != '"' && peek() != '\\') {
          throw new IllegalArgumentException("bad escape at " + position);
        }
        position++;
      } else if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException("bad string character at " + position);
      }
    }
    throw new IllegalArgumentException("unterminated string");
  }

  /** RFC 8941 §4.2.6: tchar (RFC 9110 §5.6.2), ':' or '/' after the first character. */
  private void skipToken() {
    position++;
    while (!atEnd() && (isAlpha(peek()) || isDigit(peek()) || "!#$%&'*+-.^_`|~:/".indexOf(peek()) >= 0)) {
      position++;
    }
  }

  private void expect(char c) {
    if (atEnd() || peek() != c) {
      throw new IllegalArgumentException("'" + c + "' expected at " + position);
    }
    position++;
  }

  private void requireEnd() {
    if (!atEnd()) {
      throw new IllegalArgumentException("unexpected character at " + position);
    }
  }

  private void skipSpaces() {
    while (!atEnd() && peek() == ' ') {
      position++;
    }
  }

  /** OWS around list commas: spaces and tabs. */
  private void skipWhitespace() {
    while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
      position++;
    }
  }

  private boolean atEnd() {
    return position >= field.length();
  }

  private char peek() {
    return field.charAt(position);
  }

  private static boolean isBase64(char c) {
    return isAlpha(c) || isDigit(c) || c == '+' || c == '/' || c == '=';
  }

  private static boolean isAlpha(char c) {
    return c >= 'A' && c <= 'Z' || isLowerAlpha(c);
  }

  private static boolean isLowerAlpha(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
