package io.tokengate.cli;

import io.tokengate.config.Config;
import io.tokengate.config.ConfigLoader;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --config FILE}, shared by every command. */
final class ConfigOption {

  @Option(names = "--config", paramLabel = "FILE",
    description = "Configuration file (default: $TOKENGATE_CONFIG, else config/tokengate.yaml if present).")
  Path file;

  Config load() {
    return ConfigLoader.load(file);
  }
}
