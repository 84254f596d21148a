package io.tokengate.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the configuration: the defaults built into the jar (a copy of {@code config/tokengate.yaml}), then a
 * configuration file, then {@code TOKENGATE_*} environment variables. Runs once at start-up, before any event loop.
 */
public final class ConfigLoader {

  static final String ENV_PREFIX = "TOKENGATE_";
  private static final String DEFAULTS_RESOURCE = "tokengate.yaml";
  private static final Path DEFAULT_FILE = Path.of("config", "tokengate.yaml");

  private ConfigLoader() {
  }

  /**
   * @param file the file named on the command line, or null for {@code TOKENGATE_CONFIG} or, when that is unset,
   *             {@code config/tokengate.yaml} if it exists
   */
  public static Config load(Path file, Map<String, String> env) {
    Settings settings = new Settings(defaults());
    Path chosen = chooseFile(file, env);
    if (chosen != null) {
      Map<String, String> fromFile = readYaml(chosen);
      fromFile.forEach((key, value) -> settings.override(key, value, key + " in " + chosen));
    }
    for (String key : settings.keys()) {
      String name = envName(key);
      if (env.containsKey(name)) {
        settings.override(key, env.get(name), name);
      } else if (env.containsKey(name + "_FILE")) {
        settings.override(key, readSecretFile(Path.of(env.get(name + "_FILE")), name + "_FILE"), name + "_FILE");
      }
    }
    return new ConfigParser(settings).parse();
  }

  /** The configuration of a plain start: the process environment and the default file. */
  public static Config load(Path file) {
    return load(file, System.getenv());
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
    String named = env.get(ENV_PREFIX + "CONFIG");
    if (named != null && !named.isBlank()) {
      return chooseFile(Path.of(named), Map.of());
    }
    return Files.isRegularFile(DEFAULT_FILE) ? DEFAULT_FILE : null;
  }

  private static Map<String, String> defaults() {
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the classpath");
      }
      return flatten(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), "built-in defaults");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> readYaml(Path file) {
    try {
      return flatten(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
    }
  }

  private static String readSecretFile(Path file, String source) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new ConfigException(source + ": cannot read " + file + ": " + e.getMessage());
    }
  }

  static Map<String, String> flatten(String yamlText, String source) {
    Object root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yamlText);
    } catch (RuntimeException e) {
      throw new ConfigException(source + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    Map<String, String> flat = new LinkedHashMap<>();
    if (root != null) {
      if (!(root instanceof Map<?, ?> map)) {
        throw new ConfigException(source + " must be a YAML mapping of keys to values");
      }
      flatten("", map, flat, source);
    }
    return flat;
  }

  private static void flatten(String prefix, Map<?, ?> map, Map<String, String> flat, String source) {
    map.forEach((key, value) -> {
      String path = prefix + key;
      if (value instanceof Map<?, ?> nested) {
        flatten(path + ".", nested, flat, source);
      } else if (value instanceof Iterable<?>) {
        throw new ConfigException(path + " in " + source + " must be a single value, not a list");
      } else {
        flat.put(path, value == null ? "" : value.toString());
      }
    });
  }

  /** Values by key, each remembering where it came from so that an error can name it. */
  static final class Settings {
    private final Map<String, String> values;
    private final Map<String, String> sources = new LinkedHashMap<>();

    Settings(Map<String, String> defaults) {
      this.values = new LinkedHashMap<>(defaults);
      defaults.keySet().forEach(key -> sources.put(key, key));
    }

    Iterable<String> keys() {
      return Map.copyOf(values).keySet();
    }

    void override(String key, String value, String source) {
      if (!values.containsKey(key)) {
        throw new ConfigException("unknown configuration key " + key + " (" + source + ")");
      }
      values.put(key, value);
      sources.put(key, source);
    }

    String string(String key) {
      return values.get(key);
    }

    String source(String key) {
      String source = sources.get(key);
      return source.equals(key) ? key : source;
    }

    Optional<String> optional(String key) {
      String value = values.get(key);
      return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
  }
}
