package io.tokengate.user;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One line of a user import: CSV ({@code username,hash[,attributes-json[,groups]]}, RFC 4180 quoting, so that a hash
 * or JSON with commas can be quoted; groups space-separated) or a JSON object ({@code {"username":…,
 * "password_hash":…, "attributes":{…}, "groups":[…], "enabled":true}}). Parsing checks what can be checked without the database: the username's form, a hash format
 * tokengate verifies, attributes that are a JSON object.
 */
public record ImportLine(String username, String passwordHash, JsonObject attributes, boolean enabled,
                         Set<String> groups) {

  /** A line that cannot be imported, and why (never quoting the hash). */
  public static final class Rejected extends Exception {
    Rejected(String reason) {
      super(reason, null, false, false);
    }
  }

  public static ImportLine parseCsv(String line, int maxUsernameLength) throws Rejected {
    List<String> fields = csvFields(line);
    if (fields.size() < 2 || fields.size() > 4) {
      throw new Rejected("expected username,hash[,attributes[,groups]] but found " + fields.size() + " fields");
    }
    JsonObject attributes = fields.size() >= 3 && !fields.get(2).isBlank() ? object(fields.get(2)) : new JsonObject();
    Set<String> groups = new LinkedHashSet<>();
    if (fields.size() == 4) {
      for (String group : fields.get(3).strip().split(" +")) {
        if (!group.isEmpty()) {
          groups.add(group);
        }
      }
    }
    return validated(fields.get(0), fields.get(1), attributes, true, groups(groups), maxUsernameLength);
  }

  public static ImportLine parseJson(String line, int maxUsernameLength) throws Rejected {
    JsonObject json = object(line);
    Object username = json.getValue("username");
    Object hash = json.getValue("password_hash");
    Object attributes = json.getValue("attributes", new JsonObject());
    Object enabled = json.getValue("enabled", true);
    Object groupValue = json.getValue("groups", new JsonArray());
    if (!(username instanceof String name) || !(hash instanceof String encoded)) {
      throw new Rejected("username and password_hash must be strings");
    }
    if (!(attributes instanceof JsonObject attributeObject) || !(enabled instanceof Boolean enabledFlag)) {
      throw new Rejected("attributes must be an object and enabled a boolean");
    }
    if (!(groupValue instanceof JsonArray groupArray)
      || !groupArray.stream().allMatch(group -> group instanceof String)) {
      throw new Rejected("groups must be an array of strings");
    }
    Set<String> groups = new LinkedHashSet<>();
    groupArray.forEach(group -> groups.add((String) group));
    return validated(name, encoded, attributeObject, enabledFlag, groups(groups), maxUsernameLength);
  }

  /** A group name is non-empty text without whitespace or control characters (it is one word of a CSV column). */
  public static boolean isGroupName(String group) {
    return !group.isEmpty() && group.length() <= 256 && group.codePoints()
      .noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c));
  }

  private static Set<String> groups(Set<String> groups) throws Rejected {
    for (String group : groups) {
      if (!isGroupName(group)) {
        throw new Rejected("a group name is empty, longer than 256 characters, or has spaces or control characters");
      }
    }
    return groups;
  }

  private static ImportLine validated(String username, String hash, JsonObject attributes, boolean enabled,
                                      Set<String> groups, int maxUsernameLength) throws Rejected {
    String normalized;
    try {
      normalized = Usernames.normalize(username.strip());
    } catch (IllegalArgumentException e) {
      throw new Rejected("the username is not valid text");
    }
    if (!Usernames.isAcceptable(normalized, maxUsernameLength)) {
      throw new Rejected("the username is empty, too long or has control characters");
    }
    if (!PasswordHashing.isSupportedFormat(hash.strip())) {
      throw new Rejected("the hash is not in a supported format (Argon2, bcrypt, PBKDF2, scrypt) or is outside its limits");
    }
    return new ImportLine(normalized, hash.strip(), attributes, enabled,
      java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(groups)));
  }

  private static JsonObject object(String text) throws Rejected {
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new Rejected("not a JSON object");
    }
  }

  /** RFC 4180 fields of one line: quoted fields may hold commas and doubled quotes, not line breaks. */
  static List<String> csvFields(String line) throws Rejected {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"' && field.length() == 0 && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        wasQuoted = false;
      } else if (wasQuoted) {
        throw new Rejected("text after a closing quote");
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      throw new Rejected("an unterminated quote (a quoted field cannot span lines)");
    }
    fields.add(field.toString());
    return fields;
  }

  /** Never the hash. */
  @Override
  public String toString() {
    return "ImportLine[" + username + "]";
  }
}
