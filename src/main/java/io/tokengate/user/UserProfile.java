package io.tokengate.user;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What every user source says of a user besides the password: attributes (each a list of strings: one value, or
 * several, as a directory attribute can have) and group names. The claims that tokens carry are mapped from it; it
 * never holds a password hash or a second-factor secret.
 */
public record UserProfile(Map<String, List<String>> attributes, Set<String> groups) {

  public static final UserProfile EMPTY = new UserProfile(Map.of(), Set.of());

  public UserProfile {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    attributes.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    attributes = java.util.Collections.unmodifiableMap(copy);
    groups = java.util.Collections.unmodifiableSet(new TreeSet<>(groups));
  }

  /**
   * Attributes as stored in JSON ({@code users.attributes}, a legacy table's row): a string is one value, an array
   * its elements, any other scalar its text (a number's decimal form, true/false); null and nested objects are left
   * out, as no claim can be made of them.
   */
  public static Map<String, List<String>> attributesOf(JsonObject json) {
    Map<String, List<String>> attributes = new LinkedHashMap<>();
    for (String name : json.fieldNames()) {
      List<String> values = values(json.getValue(name));
      if (!values.isEmpty()) {
        attributes.put(name, values);
      }
    }
    return attributes;
  }

  private static List<String> values(Object value) {
    if (value instanceof JsonArray array) {
      List<String> values = new ArrayList<>();
      for (Object element : array) {
        if (element != null && !(element instanceof JsonObject) && !(element instanceof JsonArray)) {
          values.add(String.valueOf(element));
        }
      }
      return values;
    }
    if (value == null || value instanceof JsonObject) {
      return List.of();
    }
    return List.of(String.valueOf(value));
  }

  /** The attributes as JSON: a single value as a string, several as an array. */
  public JsonObject attributesJson() {
    JsonObject json = new JsonObject();
    attributes.forEach((name, values) -> json.put(name, values.size() == 1 ? values.get(0) : new JsonArray(values)));
    return json;
  }

  public UserProfile withGroups(Set<String> newGroups) {
    return new UserProfile(attributes, newGroups);
  }
}
