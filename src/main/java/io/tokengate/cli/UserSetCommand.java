package io.tokengate.cli;

import io.tokengate.user.ImportLine;
import io.tokengate.user.User;
import io.tokengate.user.UserProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

@Command(name = "set", description = {
  "Change a user's attributes and groups: what claim mappings (claims.access_token, claims.id_token, a client's or a "
    + "scope's --claim) put in tokens, and what scope registrations with --requires-group check.",
  "An --attribute given twice for one key sets a list of values; it replaces the attribute's earlier values."})
final class UserSetCommand extends AdminCommand {

  @Parameters(index = "0", paramLabel = "USERNAME")
  String username;

  @Option(names = "--attribute", paramLabel = "KEY=VALUE", description = "Set an attribute (repeatable).")
  List<String> attributes = new ArrayList<>();

  @Option(names = "--remove-attribute", paramLabel = "KEY", description = "Remove an attribute (repeatable).")
  List<String> removedAttributes = new ArrayList<>();

  @Option(names = "--group", paramLabel = "G", description = "Add the user to a group (repeatable).")
  List<String> groups = new ArrayList<>();

  @Option(names = "--remove-group", paramLabel = "G", description = "Remove the user from a group (repeatable).")
  List<String> removedGroups = new ArrayList<>();

  @Override
  void run(AdminContext admin, PrintWriter out) {
    Map<String, List<String>> set = new LinkedHashMap<>();
    for (String attribute : attributes) {
      int equals = attribute.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException("--attribute takes KEY=VALUE, e.g. --attribute email=alice@example.com");
      }
      set.computeIfAbsent(attribute.substring(0, equals), key -> new ArrayList<>()).add(attribute.substring(equals + 1));
    }
    for (String group : groups) {
      if (!ImportLine.isGroupName(group)) {
        throw new IllegalArgumentException("a group name is non-empty, at most 256 characters, without spaces or "
          + "control characters");
      }
    }
    if (set.isEmpty() && removedAttributes.isEmpty() && groups.isEmpty() && removedGroups.isEmpty()) {
      throw new IllegalArgumentException("nothing to change: give --attribute, --remove-attribute, --group or "
        + "--remove-group");
    }
    User user = admin.user(username);
    Map<String, List<String>> newAttributes = new LinkedHashMap<>(user.profile().attributes());
    removedAttributes.forEach(newAttributes::remove);
    newAttributes.putAll(set);
    Set<String> newGroups = new LinkedHashSet<>(user.profile().groups());
    removedGroups.forEach(newGroups::remove);
    newGroups.addAll(groups);
    UserProfile profile = new UserProfile(newAttributes, newGroups);
    if (!admin.userStore().setProfile(user.id(), profile).await()) {
      throw new IllegalStateException("no user " + user.username());
    }
    out.println("set " + user.username() + ": attributes " + String.join(", ", profile.attributes().keySet())
      + (profile.attributes().isEmpty() ? "(none)" : "") + "; groups " + String.join(" ", profile.groups())
      + (profile.groups().isEmpty() ? "(none)" : ""));
  }
}
