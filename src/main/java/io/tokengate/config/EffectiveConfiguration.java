package io.tokengate.config;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code config check} shows: the loaded configuration and every key's value, redacted where secret, with where
 * it came from.
 *
 * @param file the configuration file read, or null when there was none
 */
public record EffectiveConfiguration(Config config, Path file, List<Value> values) {

  /** @param value as it may be shown: a secret as "(set)" or "(not set)", a URL with its password masked */
  public record Value(String key, String value, ValueType type, Origin origin) {
  }

  static List<Value> values(Settings settings) {
    return settings.all().entrySet().stream()
      .map(entry -> new Value(entry.getKey(), shown(entry.getValue()), entry.getValue().key().type(),
        entry.getValue().origin()))
      .sorted(java.util.Comparator.comparing(Value::key))
      .toList();
  }

  private static String shown(Settings.Setting setting) {
    Object value = setting.value();
    String text = value instanceof List<?> list ? String.join(",", list.stream().map(Object::toString).toList())
      : value == null ? "" : (String) value;
    return switch (setting.key().type()) {
      case SECRET -> text.isBlank() ? "(not set)" : "(set)";
      case SECRET_LIST -> value instanceof List<?> list && !list.isEmpty() ? "(" + list.size() + " set)" : "(not set)";
      case URL -> Redaction.url(text);
      default -> text;
    };
  }
}
