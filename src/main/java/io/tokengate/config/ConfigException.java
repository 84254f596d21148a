package io.tokengate.config;

import java.util.List;

/**
 * Configuration that cannot be used. Each problem is one line, printed before start-up stops; the message is those
 * lines joined.
 */
public final class ConfigException extends RuntimeException {

  private final List<String> problems;

  public ConfigException(String message) {
    this(List.of(message));
  }

  public ConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
