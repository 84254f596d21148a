package io.tokengate.cli;

import io.tokengate.oauth.FormEncoding;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Reads a password or secret from standard input (never from an argument, which any local user can read). */
final class SecretInput {

  private static final int MAX_BYTES = 4096;

  private SecretInput() {
  }

  /**
   * @param fromStdin read standard input to its end (for scripts: {@code printf %s "$PW" | tokengate ...});
   *                  otherwise prompt on the terminal without echo
   */
  static String read(String what, boolean fromStdin) throws IOException {
    if (fromStdin) {
      return fromStream(System.in, what);
    }
    Console console = System.console();
    if (console == null) {
      throw new IllegalArgumentException("no terminal to prompt on: pass the " + what + " on standard input with --"
        + (what.equals("password") ? "password" : "secret") + "-stdin");
    }
    char[] first = console.readPassword("%s: ", capitalized(what));
    char[] second = console.readPassword("%s again: ", capitalized(what));
    try {
      if (first == null || !Arrays.equals(first, second)) {
        throw new IllegalArgumentException("the two entries differ");
      }
      return new String(first);
    } finally {
      Arrays.fill(first == null ? new char[0] : first, '\0');
      Arrays.fill(second == null ? new char[0] : second, '\0');
    }
  }

  static String fromStream(InputStream in, String what) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BYTES + 1);
    if (bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException("the " + what + " on standard input is longer than " + MAX_BYTES + " bytes");
    }
    int length = bytes.length;
    // One trailing line break is the shell's, not the secret's.
    if (length > 0 && bytes[length - 1] == '\n') {
      length--;
      if (length > 0 && bytes[length - 1] == '\r') {
        length--;
      }
    }
    String text = FormEncoding.utf8(ByteBuffer.wrap(bytes, 0, length))
      .orElseThrow(() -> new IllegalArgumentException("the " + what + " on standard input is not valid UTF-8"));
    Arrays.fill(bytes, (byte) 0);
    if (text.isEmpty()) {
      throw new IllegalArgumentException("no " + what + " on standard input");
    }
    return text;
  }

  private static String capitalized(String word) {
    return Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }
}
