package io.tokengate.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** tokengate's configuration keys (dotted paths, as in config/tokengate.yaml) and the environment names for them. */
final class ConfigKeys {

  static final Path DOCUMENTED = Path.of("config", "tokengate.yaml");
  static final String CONFIG_FILE_VARIABLE = "TOKENGATE_CONFIG";
  private static final String PREFIX = "TOKENGATE_";
  private static final String FILE_SUFFIX = "_FILE";

  private ConfigKeys() {
  }

  /** The keys of a configuration file, e.g. {@code database.pool_size}. */
  static Set<String> of(Path file) {
    Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(K8sTree.read(file));
    Set<String> keys = new TreeSet<>();
    if (root != null) {
      collect("", (Map<?, ?>) root, keys);
    }
    return keys;
  }

  /**
   * ConfigLoader's rule: {@code TOKENGATE_} + the key in upper case with dots as underscores, or the same + {@code _FILE}
   * to read the value from a file; and {@code TOKENGATE_CONFIG}, the configuration file.
   */
  static boolean isVariableFor(String variable, Set<String> keys) {
    if (variable.equals(CONFIG_FILE_VARIABLE)) {
      return true;
    }
    return keys.stream().map(ConfigKeys::variable)
      .anyMatch(name -> variable.equals(name) || variable.equals(name + FILE_SUFFIX));
  }

  static String variable(String key) {
    return PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  private static void collect(String prefix, Map<?, ?> map, Set<String> keys) {
    map.forEach((key, value) -> {
      if (value instanceof Map<?, ?> nested) {
        collect(prefix + key + ".", nested, keys);
      } else {
        keys.add(prefix + key);
      }
    });
  }
}
