package io.tokengate.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads the configuration: the schema's defaults ({@link ConfigKeys}), then a configuration file, then
 * {@code TOKENGATE_*} environment variables; checks every value against the schema and reports every problem at
 * once, one line each. Runs once at start-up, before any event loop.
 */
public final class ConfigLoader {

  static final String ENV_PREFIX = "TOKENGATE_";
  static final String CONFIG_VARIABLE = ENV_PREFIX + "CONFIG";
  private static final String FILE_SUFFIX = "_FILE";
  private static final Path DEFAULT_FILE = Path.of("config", "tokengate.yaml");

  // Kubernetes service links (enableServiceLinks, on by default) for a Service named tokengate or tokengate-*:
  // TOKENGATE_SERVICE_HOST, TOKENGATE_SERVICE_PORT[_NAME], TOKENGATE_PORT, TOKENGATE_PORT_8080_TCP[_PROTO|_PORT|_ADDR],
  // and the same after TOKENGATE_METRICS_ for a Service tokengate-metrics. Ignored, so they cannot stop a pod.
  private static final Pattern SERVICE_LINK = Pattern.compile(
    "TOKENGATE(_[A-Z0-9_]+)?_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_[0-9]+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)?)");

  private ConfigLoader() {
  }

  /**
   * @param file the file named on the command line, or null for {@code TOKENGATE_CONFIG} or, when that is unset,
   *             {@code config/tokengate.yaml} if it exists
   */
  public static Config load(Path file, Map<String, String> env) {
    return new ConfigParser(resolve(ConfigKeys.SCHEMA, chooseFile(file, env), env)).parse();
  }

  /** The configuration of a plain start: the process environment and the default file. */
  public static Config load(Path file) {
    return load(file, System.getenv());
  }

  /** The configuration and, for {@code config check}, every value with where it came from. */
  public static EffectiveConfiguration inspect(Path file, Map<String, String> env) {
    Path chosen = chooseFile(file, env);
    Settings settings = resolve(ConfigKeys.SCHEMA, chosen, env);
    return new EffectiveConfiguration(new ConfigParser(settings).parse(), chosen, EffectiveConfiguration.values(settings));
  }

  static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  private static Path chooseFile(Path file, Map<String, String> env) {
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new ConfigException("configuration file " + file + " does not exist");
      }
      return file;
    }
    String named = env.get(CONFIG_VARIABLE);
    if (named != null && !named.isBlank()) {
      return chooseFile(Path.of(named), Map.of());
    }
    return Files.isRegularFile(DEFAULT_FILE) ? DEFAULT_FILE : null;
  }

  /** Defaults, then the file, then the environment; every problem found on the way, or the settings. */
  static Settings resolve(ConfigSchema schema, Path file, Map<String, String> env) {
    return new Resolution(schema).run(file, env);
  }

  private static final class Resolution {
    private final ConfigSchema schema;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> declared = new LinkedHashSet<>();
    private final Map<String, Settings.Setting> values = new LinkedHashMap<>();
    private final Set<String> refused = new LinkedHashSet<>();

    Resolution(ConfigSchema schema) {
      this.schema = schema;
    }

    Settings run(Path file, Map<String, String> env) {
      schema.keys().stream().filter(key -> !key.isPattern())
        .forEach(key -> values.put(key.path(), new Settings.Setting(key, key.defaultValue(), Origin.DEFAULT)));
      List<YamlFile.Value> fromFile = file == null ? List.of() : YamlFile.read(file, problems);
      fromFile.stream().map(YamlFile.Value::path).filter(schema::isEntry).forEach(declared::add);
      fromFile.forEach(value -> fromFile(file, value));
      sectionDefaults();
      fromEnvironment(env);
      checkNames();
      checkValues();
      if (!problems.isEmpty()) {
        throw new ConfigException(problems);
      }
      return new Settings(values);
    }

    private void fromFile(Path file, YamlFile.Value value) {
      String path = value.path();
      if (refused.stream().anyMatch(prefix -> path.startsWith(prefix + "."))) {
        return; // what is inside a refused key has been reported with it
      }
      Origin origin = Origin.file(file, value.line());
      boolean group = value.value() == YamlFile.GROUP || "".equals(value.value()) && schema.isGroup(path);
      if (group) {
        if (!schema.isGroup(path) && !schema.isEntry(path)) {
          problems.add(unknown(path, origin));
          refused.add(path);
        }
        return;
      }
      Optional<ConfigKey> key = schema.find(path);
      if (key.isEmpty()) {
        problems.add(unknown(path, origin));
        return;
      }
      if (value.value() instanceof List<?> list && !key.get().type().isList()) {
        problems.add("invalid configuration: " + path + " (" + origin + ") must be a single value, not a list");
        return;
      }
      Object normalized = key.get().type().isList() && value.value() instanceof String text
        ? Settings.splitList(text) : value.value();
      values.put(path, new Settings.Setting(key.get(), normalized, origin));
    }

    private String unknown(String path, Origin origin) {
      String misnamed = misnamedSection(path);
      if (misnamed != null) {
        return "invalid configuration: " + path + " (" + origin + ") names an entry of " + misnamed
          + ": a name must match " + ConfigKey.NAME.pattern();
      }
      return "unknown configuration key " + path + " (" + origin + ")" + Suggestions.didYouMean(path, knownKeys());
    }

    /** The section whose entry name is malformed in {@code path}, if that is what is wrong with it. */
    private String misnamedSection(String path) {
      String[] segments = path.split("\\.");
      for (int i = 1; i < segments.length; i++) {
        String section = String.join(".", java.util.Arrays.copyOfRange(segments, 0, i));
        String withValidName = section + ".a" + (i + 1 < segments.length
          ? "." + String.join(".", java.util.Arrays.copyOfRange(segments, i + 1, segments.length)) : "");
        if (!ConfigKey.NAME.matcher(segments[i]).matches() && schema.isEntry(section + ".a")
          && (schema.find(withValidName).isPresent() || schema.isGroup(withValidName) || schema.isEntry(withValidName))) {
          return section;
        }
      }
      return null;
    }

    /** Every key of every declared entry exists, with its default unless the file set it. */
    private void sectionDefaults() {
      for (ConfigKey key : schema.keys()) {
        if (!key.isPattern()) {
          continue;
        }
        for (String concrete : instances(key.segments(), 0, "")) {
          if (!values.containsKey(concrete)) {
            values.put(concrete, new Settings.Setting(key, key.defaultValue(), Origin.DEFAULT));
          }
        }
      }
    }

    private List<String> instances(List<String> segments, int index, String prefix) {
      if (index == segments.size()) {
        return List.of(prefix);
      }
      String segment = segments.get(index);
      String joiner = prefix.isEmpty() ? "" : prefix + ".";
      if (!ConfigKey.isPlaceholder(segment)) {
        return instances(segments, index + 1, joiner + segment);
      }
      List<String> result = new ArrayList<>();
      for (String entry : declared) {
        int dot = entry.lastIndexOf('.');
        if (entry.substring(0, Math.max(dot, 0)).equals(prefix)) {
          result.addAll(instances(segments, index + 1, entry));
        }
      }
      return result;
    }

    private Set<String> knownKeys() {
      Set<String> keys = new LinkedHashSet<>(values.keySet());
      schema.keys().stream().filter(key -> !key.isPattern()).forEach(key -> keys.add(key.path()));
      return keys;
    }

    private void fromEnvironment(Map<String, String> env) {
      Map<String, String> byVariable = new TreeMap<>();
      values.keySet().forEach(key -> byVariable.put(envName(key), key));
      for (String variable : new TreeMap<>(env).keySet()) {
        if (!variable.startsWith(ENV_PREFIX) || variable.equals(CONFIG_VARIABLE)) {
          continue;
        }
        String key = byVariable.get(variable);
        boolean fromFile = key == null && variable.endsWith(FILE_SUFFIX)
          && byVariable.containsKey(variable.substring(0, variable.length() - FILE_SUFFIX.length()));
        if (fromFile) {
          key = byVariable.get(variable.substring(0, variable.length() - FILE_SUFFIX.length()));
        }
        if (key != null) {
          if (!fromFile && env.containsKey(variable + FILE_SUFFIX)) {
            problems.add("invalid configuration: both " + variable + " and " + variable + FILE_SUFFIX
              + " are set; set only one");
            continue;
          }
          fromVariable(key, variable, env.get(variable), fromFile);
        } else if (!SERVICE_LINK.matcher(variable).matches() && looksMeantForUs(variable, byVariable.keySet())) {
          problems.add(unknownVariable(variable, byVariable.keySet()));
        }
      }
    }

    private void fromVariable(String key, String variable, String text, boolean fromFile) {
      ConfigKey schemaKey = values.get(key).key();
      Origin origin = fromFile ? Origin.environmentFile(variable, text) : Origin.environment(variable);
      String value = text;
      if (fromFile) {
        try {
          value = Files.readString(Path.of(text)).strip();
        } catch (IOException | RuntimeException e) {
          problems.add(variable + ": cannot read " + text + ": " + e.getMessage());
          return;
        }
      }
      Object normalized = schemaKey.type().isList() ? Settings.splitList(value) : value;
      values.put(key, new Settings.Setting(schemaKey, normalized, origin));
    }

    /** A variable under one of our sections (TOKENGATE_HTTP_...), or one typo away from a real one. */
    private boolean looksMeantForUs(String variable, Set<String> known) {
      boolean underSection = schema.topLevel().stream()
        .map(top -> ENV_PREFIX + top.toUpperCase(Locale.ROOT))
        .anyMatch(prefix -> variable.equals(prefix) || variable.startsWith(prefix + "_"));
      return underSection || Suggestions.isClose(variable, known, 2);
    }

    private String unknownVariable(String variable, Set<String> known) {
      for (String entry : sectionsOf(variable)) {
        return "invalid configuration: " + variable + " sets a key of " + entry
          + ", which the configuration file does not declare; declare the entry in the file first";
      }
      return "invalid configuration: " + variable + " names no configuration key" + Suggestions.didYouMean(variable, known);
    }

    /** The named sections whose variables look like this one ({@code TOKENGATE_USERS_LDAP_} + name + field). */
    private List<String> sectionsOf(String variable) {
      List<String> sections = new ArrayList<>();
      for (ConfigKey key : schema.keys()) {
        List<String> segments = key.segments();
        int placeholder = segments.indexOf(segments.stream().filter(ConfigKey::isPlaceholder).findFirst().orElse(""));
        if (placeholder < 0) {
          continue;
        }
        String section = String.join(".", segments.subList(0, placeholder));
        if (section.contains("<")) {
          continue;
        }
        if (variable.startsWith(envName(section) + "_") && !sections.contains(section)) {
          sections.add(section);
        }
      }
      return sections;
    }

    private void checkNames() {
      for (ConfigSchema.NameGroup group : schema.nameGroups()) {
        Map<String, String> owners = new LinkedHashMap<>();
        for (String section : group.sections()) {
          for (String entry : declared) {
            if (!entry.startsWith(section + ".") || entry.substring(section.length() + 1).contains(".")) {
              continue;
            }
            String name = entry.substring(section.length() + 1);
            if (group.reserved().contains(name)) {
              problems.add("invalid configuration: " + entry + ": '" + name + "' is reserved and cannot name a " + group.what());
            } else if (owners.containsKey(name)) {
              problems.add("invalid configuration: " + group.what() + " name '" + name + "' is used by both "
                + owners.get(name) + " and " + entry + "; names must be unique");
            } else {
              owners.put(name, entry);
            }
          }
        }
      }
    }

    private void checkValues() {
      values.forEach((path, setting) -> {
        String problem = TypeCheck.problem(setting.key(), setting.value());
        if (problem != null) {
          Origin origin = setting.origin();
          String where = origin.kind() == Origin.Kind.DEFAULT ? path : path + " (" + origin + ")";
          problems.add("invalid configuration: " + where + " " + problem);
        }
      });
    }
  }

  /** Checks a value's text against its key's type and range; never quotes a secret. */
  static final class TypeCheck {
    private TypeCheck() {
    }

    static String problem(ConfigKey key, Object value) {
      if (value == null) {
        return "is required";
      }
      if (key.type().isList()) {
        return null;
      }
      String text = ((String) value).strip();
      if (text.isEmpty()) {
        return switch (key.type()) {
          case STRING, SECRET, URL, LIST, SECRET_LIST -> null;
          default -> "must not be empty";
        };
      }
      return switch (key.type()) {
        case INTEGER -> integer(key, text);
        case DURATION -> duration(key, text);
        case SIZE -> size(key, text);
        case BOOLEAN -> "true".equals(text) || "false".equals(text) ? null : "'" + text + "' is neither true nor false";
        case ENUM -> key.choices().contains(text) ? null
          : "'" + text + "' is not one of " + String.join(", ", key.choices().stream().sorted().toList());
        default -> null;
      };
    }

    private static String integer(ConfigKey key, String text) {
      long parsed;
      try {
        parsed = Integer.parseInt(text);
      } catch (NumberFormatException e) {
        return "'" + text + "' is not a whole number";
      }
      return parsed < (Long) key.min() || parsed > (Long) key.max()
        ? parsed + " is outside " + key.min() + ".." + key.max() : null;
    }

    private static String size(ConfigKey key, String text) {
      long parsed;
      try {
        parsed = Sizes.parse(text);
      } catch (IllegalArgumentException e) {
        return e.getMessage();
      }
      return parsed < (Long) key.min() || parsed > (Long) key.max()
        ? text + " is outside " + Sizes.format((Long) key.min()) + ".." + Sizes.format((Long) key.max()) : null;
    }

    private static String duration(ConfigKey key, String text) {
      Duration parsed;
      try {
        parsed = Durations.parse(text);
      } catch (IllegalArgumentException e) {
        return e.getMessage();
      }
      Duration min = (Duration) key.min();
      Duration max = (Duration) key.max();
      return parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0
        ? text + " is outside " + Durations.format(min) + ".." + Durations.format(max) : null;
    }
  }
}
