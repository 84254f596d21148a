package io.tokengate.oauth;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parameters of a form-encoded request, each present at most once. Parameters sent without a value are
 * treated as omitted (RFC 6749 §3.1).
 */
public final class Parameters {

  private final Map<String, String> values;
  private final List<String> resources;

  public Parameters(Map<String, String> values) {
    this(values, List.of());
  }

  /** @param resources the {@code resource} parameters (RFC 8707), duplicates collapsed, in order */
  public Parameters(Map<String, String> values, List<String> resources) {
    this.values = new ConcurrentHashMap<>(values);
    this.resources = List.copyOf(resources);
  }

  /** The resource indicators of the request (RFC 8707 §2); empty when it has none. */
  public List<String> resources() {
    return resources;
  }

  /**
   * Removes a secret from the request once the one step that needs it has it (the password), so that the request
   * object, which lives until the answer is sent, no longer holds it.
   */
  public String takeRequired(String name) {
    String value = values.remove(name);
    if (value == null) {
      throw OAuthException.invalidRequest("missing parameter " + name);
    }
    return value;
  }

  public Optional<String> optional(String name) {
    return Optional.ofNullable(values.get(name));
  }

  public String required(String name) {
    String value = values.get(name);
    if (value == null) {
      throw OAuthException.invalidRequest("missing parameter " + name);
    }
    return value;
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** Names only: the values carry passwords, secrets and tokens. */
  @Override
  public String toString() {
    return "Parameters" + values.keySet();
  }
}
