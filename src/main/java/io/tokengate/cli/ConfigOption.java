package io.tokengate.cli;

import io.tokengate.config.Config;
import io.tokengate.config.ConfigLoader;
import io.tokengate.config.EffectiveConfiguration;
import io.tokengate.logging.Logging;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.Map;

/**
 * The configuration a command runs with: {@code --config FILE}, given before or after the command (one option
 * inherited by every command, held by {@link TokengateCommand}), and the environment.
 */
final class ConfigOption {

  private final Path file;
  private final Map<String, String> env;

  ConfigOption(Path file, Map<String, String> env) {
    this.file = file;
    this.env = env;
  }

  /** The configuration of the command line this command belongs to. */
  static ConfigOption of(CommandSpec spec) {
    return ((TokengateCommand) spec.root().userObject()).configOption();
  }

  /** Loads and validates the configuration, and applies its logging settings. */
  Config load() {
    Config config = ConfigLoader.load(file, env);
    Logging.apply(config.logs());
    return config;
  }

  EffectiveConfiguration inspect() {
    return ConfigLoader.inspect(file, env);
  }
}
