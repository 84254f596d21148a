package io.tokengate.config;

import java.nio.file.Path;

/** Where a configuration value came from, as {@code config check} and error lines name it. */
public record Origin(Kind kind, String where) {

  public enum Kind { DEFAULT, FILE, ENVIRONMENT, ENVIRONMENT_FILE }

  static final Origin DEFAULT = new Origin(Kind.DEFAULT, "default");

  static Origin file(Path file, int line) {
    return new Origin(Kind.FILE, file + ":" + line);
  }

  static Origin environment(String variable) {
    return new Origin(Kind.ENVIRONMENT, variable);
  }

  static Origin environmentFile(String variable, String file) {
    return new Origin(Kind.ENVIRONMENT_FILE, variable + " (" + file + ")");
  }

  @Override
  public String toString() {
    return where;
  }
}
