package io.tokengate.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes as configuration writes them: 512B, 8KiB, 1MiB, or a number of bytes. */
public final class Sizes {

  private static final Pattern SIZE = Pattern.compile("(\\d{1,9})(B|KiB|MiB)?");

  private Sizes() {
  }

  public static long parse(String text) {
    Matcher matcher = SIZE.matcher(text.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException("'" + text.strip() + "' is not a size such as 512B, 8KiB or 1MiB");
    }
    long number = Long.parseLong(matcher.group(1));
    String unit = matcher.group(2) == null ? "B" : matcher.group(2);
    return switch (unit) {
      case "KiB" -> number * 1024;
      case "MiB" -> number * 1024 * 1024;
      default -> number;
    };
  }

  public static String format(long bytes) {
    if (bytes % (1024 * 1024) == 0 && bytes > 0) {
      return bytes / (1024 * 1024) + "MiB";
    }
    return bytes % 1024 == 0 && bytes > 0 ? bytes / 1024 + "KiB" : bytes + "B";
  }
}
