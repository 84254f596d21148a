package io.tokengate.config;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One key of the schema. Its path may hold placeholders: {@code users.ldap.<name>.url} is the {@code url} of every
 * entry of the named section {@code users.ldap} that the configuration file declares.
 *
 * @param defaultValue the value when nothing sets it: a String, or a List of Strings for {@link ValueType#LIST};
 *                     null when the key is required (only in named sections)
 * @param min          the smallest value of an INTEGER (a Long) or DURATION (a Duration) key, else null
 * @param max          the largest, likewise
 * @param choices      the words an ENUM accepts
 * @param doc          one line for the configuration reference
 */
public record ConfigKey(String path, ValueType type, Object defaultValue, Comparable<?> min, Comparable<?> max,
                        List<String> choices, String doc) {

  /** What a placeholder matches: a name of the operator's choice. */
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");

  public ConfigKey {
    choices = List.copyOf(choices);
    if (type.isList() && defaultValue instanceof String) {
      throw new IllegalArgumentException(path + ": a list's default is a List");
    }
  }

  public List<String> segments() {
    return List.of(path.split("\\."));
  }

  public boolean isPattern() {
    return path.contains("<");
  }

  public boolean isRequired() {
    return defaultValue == null;
  }

  public boolean isSecret() {
    return type.isSecret();
  }

  static boolean isPlaceholder(String segment) {
    return segment.startsWith("<") && segment.endsWith(">");
  }

  /** The default as written in YAML and in the reference: durations in their shortest form, lists comma-separated. */
  public String defaultText() {
    if (defaultValue == null) {
      return "";
    }
    if (defaultValue instanceof List<?> list) {
      return String.join(",", list.stream().map(Object::toString).toList());
    }
    return defaultValue.toString();
  }

  /** What the reference says the key accepts. */
  public String accepted() {
    return switch (type) {
      case ENUM -> String.join(" | ", choices);
      case INTEGER -> min == null ? "integer" : "integer " + min + ".." + max;
      case SIZE -> "size " + Sizes.format((Long) min) + ".." + Sizes.format((Long) max);
      case DURATION -> min == null ? "duration"
        : "duration " + Durations.format((Duration) min) + ".." + Durations.format((Duration) max);
      default -> type.description();
    };
  }
}
