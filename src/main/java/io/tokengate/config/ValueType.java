package io.tokengate.config;

/** What a configuration key holds; decides how its text is checked and how {@code config check} shows it. */
public enum ValueType {
  STRING("string"),
  /** Never shown: {@code config check} prints whether it is set, errors never quote it. */
  SECRET("secret"),
  /** A connection URL; shown with any password in it masked. */
  URL("URL"),
  INTEGER("integer"),
  /** 250ms, 30s, 5m, 8h or 7d. */
  DURATION("duration"),
  /** 512B, 8KiB or 1MiB. */
  SIZE("size"),
  BOOLEAN("boolean"),
  /** One of a fixed set of words. */
  ENUM("enum"),
  /** A YAML sequence of strings, or one comma-separated string (the environment's form). */
  LIST("list of strings"),
  /** A list whose items are secrets: never shown. */
  SECRET_LIST("list of secrets");

  private final String description;

  ValueType(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }

  public boolean isSecret() {
    return this == SECRET || this == SECRET_LIST;
  }

  public boolean isList() {
    return this == LIST || this == SECRET_LIST;
  }
}
