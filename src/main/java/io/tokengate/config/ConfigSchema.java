package io.tokengate.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every configuration key tokengate knows: fixed keys ({@code http.port}) and the keys of named sections
 * ({@code users.ldap.<name>.url}), each with its type, default and one line of documentation. A named section's
 * entries exist only when the configuration file declares them.
 */
public final class ConfigSchema {

  /** Names that must be unique across several sections (user sources across {@code users.ldap} and {@code users.sql}). */
  public record NameGroup(String what, Set<String> reserved, List<String> sections) {
  }

  private final List<ConfigKey> keys;
  private final List<NameGroup> nameGroups;

  private ConfigSchema(List<ConfigKey> keys, List<NameGroup> nameGroups) {
    this.keys = List.copyOf(keys);
    this.nameGroups = List.copyOf(nameGroups);
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<ConfigKey> keys() {
    return keys;
  }

  public List<NameGroup> nameGroups() {
    return nameGroups;
  }

  /** The key that a concrete path ({@code users.ldap.corp.url}) is an instance of. */
  public Optional<ConfigKey> find(String path) {
    List<String> segments = List.of(path.split("\\.", -1));
    return keys.stream().filter(key -> matches(key.segments(), segments, false)).findFirst();
  }

  /** Whether a concrete path is a group of keys (a mapping in YAML), such as {@code http.tls} or {@code users.ldap.corp}. */
  boolean isGroup(String path) {
    List<String> segments = List.of(path.split("\\.", -1));
    return keys.stream().anyMatch(key -> key.segments().size() > segments.size()
      && matches(key.segments(), segments, true));
  }

  /**
   * Whether a concrete path names an entry of a named section: its last segment stands where a key has a placeholder
   * ({@code users.ldap.corp} for {@code users.ldap.<name>.url}, {@code claims.access_token.email} for
   * {@code claims.access_token.<claim>}).
   */
  boolean isEntry(String path) {
    List<String> segments = List.of(path.split("\\.", -1));
    int last = segments.size() - 1;
    return keys.stream().anyMatch(key -> key.segments().size() > last
      && ConfigKey.isPlaceholder(key.segments().get(last)) && matches(key.segments(), segments, true));
  }

  /** The first segments of every key: {@code http}, {@code issuer}, {@code users}, ... */
  Set<String> topLevel() {
    Set<String> top = new LinkedHashSet<>();
    keys.forEach(key -> top.add(key.segments().get(0)));
    return top;
  }

  private static boolean matches(List<String> pattern, List<String> path, boolean prefix) {
    if (prefix ? path.size() > pattern.size() : path.size() != pattern.size()) {
      return false;
    }
    for (int i = 0; i < path.size(); i++) {
      String expected = pattern.get(i);
      boolean ok = ConfigKey.isPlaceholder(expected) ? ConfigKey.NAME.matcher(path.get(i)).matches()
        : expected.equals(path.get(i));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  public static final class Builder {
    private final List<ConfigKey> keys = new ArrayList<>();
    private final List<NameGroup> groups = new ArrayList<>();

    private Builder add(String path, ValueType type, Object defaultValue, Comparable<?> min, Comparable<?> max,
                        List<String> choices, String doc) {
      if (keys.stream().anyMatch(key -> key.path().equals(path))) {
        throw new IllegalArgumentException(path + " is declared twice");
      }
      keys.add(new ConfigKey(path, type, defaultValue, min, max, choices, doc));
      return this;
    }

    public Builder string(String path, String defaultValue, String doc) {
      return add(path, ValueType.STRING, defaultValue, null, null, List.of(), doc);
    }

    /** A secret's default is always empty: unset. */
    public Builder secret(String path, String doc) {
      return add(path, ValueType.SECRET, "", null, null, List.of(), doc);
    }

    public Builder url(String path, String defaultValue, String doc) {
      return add(path, ValueType.URL, defaultValue, null, null, List.of(), doc);
    }

    public Builder integer(String path, Integer defaultValue, long min, long max, String doc) {
      return add(path, ValueType.INTEGER, defaultValue == null ? null : defaultValue.toString(), min, max, List.of(), doc);
    }

    public Builder duration(String path, String defaultValue, Duration min, Duration max, String doc) {
      return add(path, ValueType.DURATION, defaultValue, min, max, List.of(), doc);
    }

    public Builder size(String path, String defaultValue, long min, long max, String doc) {
      return add(path, ValueType.SIZE, defaultValue, min, max, List.of(), doc);
    }

    public Builder bool(String path, Boolean defaultValue, String doc) {
      return add(path, ValueType.BOOLEAN, defaultValue == null ? null : defaultValue.toString(), null, null, List.of(), doc);
    }

    public Builder oneOf(String path, String defaultValue, List<String> choices, String doc) {
      return add(path, ValueType.ENUM, defaultValue, null, null, choices, doc);
    }

    public Builder list(String path, List<String> defaultValue, String doc) {
      return add(path, ValueType.LIST, defaultValue == null ? null : List.copyOf(defaultValue), null, null, List.of(), doc);
    }

    public Builder secretList(String path, String doc) {
      return add(path, ValueType.SECRET_LIST, List.of(), null, null, List.of(), doc);
    }

    /** Entry names unique across these sections ({@code users.ldap}, {@code users.sql}), none of them reserved. */
    public Builder uniqueNames(String what, Set<String> reserved, String... sections) {
      groups.add(new NameGroup(what, Set.copyOf(reserved), List.of(sections)));
      return this;
    }

    public ConfigSchema build() {
      return new ConfigSchema(keys, groups);
    }
  }
}
