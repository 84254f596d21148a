package io.tokengate.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resolved values by concrete key, each with its schema entry and where it came from. Types and ranges have been
 * checked by {@link ConfigLoader}; the accessors only convert.
 */
final class Settings {

  record Setting(ConfigKey key, Object value, Origin origin) {
  }

  private final Map<String, Setting> values;

  Settings(Map<String, Setting> values) {
    this.values = new LinkedHashMap<>(values);
  }

  Map<String, Setting> all() {
    return values;
  }

  private Setting setting(String key) {
    Setting setting = values.get(key);
    if (setting == null) {
      throw new IllegalArgumentException("no configuration key " + key);
    }
    return setting;
  }

  /** The raw text (a list joined with commas). */
  String string(String key) {
    Object value = setting(key).value();
    return value instanceof List<?> list ? String.join(",", list.stream().map(Object::toString).toList()) : (String) value;
  }

  Optional<String> optional(String key) {
    String value = string(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  int integer(String key) {
    return Integer.parseInt(string(key).strip());
  }

  Duration duration(String key) {
    return Durations.parse(string(key));
  }

  long size(String key) {
    return Sizes.parse(string(key));
  }

  boolean bool(String key) {
    return Boolean.parseBoolean(string(key).strip());
  }

  @SuppressWarnings("unchecked")
  List<String> list(String key) {
    return (List<String>) setting(key).value();
  }

  /** The names of the entries of a named section the file declared ({@code users.ldap} -> [corp, partners]). */
  List<String> entries(String section) {
    List<String> names = new ArrayList<>();
    int depth = section.split("\\.").length;
    for (String key : values.keySet()) {
      if (key.startsWith(section + ".")) {
        String name = key.split("\\.")[depth];
        if (!names.contains(name)) {
          names.add(name);
        }
      }
    }
    return names;
  }

  /** Where a key's value came from, as an error line names it: the key alone for a default. */
  String source(String key) {
    Origin origin = setting(key).origin();
    return origin.kind() == Origin.Kind.DEFAULT ? key : origin.where();
  }

  static List<String> splitList(String text) {
    return Arrays.stream(text.split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList();
  }
}
