package io.tokengate.cli;

import io.tokengate.claims.ClaimMapping;
import io.tokengate.claims.ScopeRegistration;
import io.tokengate.oauth.Scopes;
import io.tokengate.store.RegistrationStore;
import io.tokengate.user.ImportLine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

@Command(name = "scope", description = {
  "Scope registrations: which groups a user needs to be granted a scope, and which claims its tokens carry. A scope "
    + "without a registration has no policy. Replicas see a change within clients.cache_ttl."},
  subcommands = {ScopeCommand.Create.class, ScopeCommand.ListScopes.class, ScopeCommand.Show.class,
    ScopeCommand.Update.class, ScopeCommand.Delete.class})
final class ScopeCommand {

  static JsonObject json(ScopeRegistration scope) {
    return new JsonObject().put("name", scope.name())
      .put("requires_groups", new JsonArray(List.copyOf(scope.requiredGroups())))
      .put("claims", scope.claims().toJson())
      .put("description", scope.description().orElse(null));
  }

  static void validate(ScopeRegistration scope) {
    if (!Scopes.isValidToken(scope.name())) {
      throw new IllegalArgumentException("scope '" + scope.name() + "' has characters RFC 6749 §3.3 forbids");
    }
    for (String group : scope.requiredGroups()) {
      if (!ImportLine.isGroupName(group)) {
        throw new IllegalArgumentException("a group name is non-empty, at most 256 characters, without spaces or "
          + "control characters");
      }
    }
  }

  static ScopeRegistration find(AdminContext admin, String name) {
    return new RegistrationStore(admin.pool()).scopes().await().stream()
      .filter(scope -> scope.name().equals(name)).findFirst()
      .orElseThrow(() -> new IllegalStateException("no scope registration " + name));
  }

  @Command(name = "create", description = "Register a scope.")
  static final class Create extends AdminCommand {

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--requires-group", paramLabel = "G",
      description = "A user must be in one of these groups to be granted the scope (repeatable).")
    List<String> groups = new ArrayList<>();

    @Option(names = "--claim", paramLabel = "NAME[=ATTRIBUTE]",
      description = "A claim its access tokens carry when it is granted (repeatable; NAME alone maps the attribute NAME).")
    List<String> claims = new ArrayList<>();

    @Option(names = "--description", paramLabel = "TEXT")
    String description;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      ScopeRegistration scope = new ScopeRegistration(name, new LinkedHashSet<>(groups), ClaimMapping.parse(claims),
        Optional.ofNullable(description));
      validate(scope);
      if (!new RegistrationStore(admin.pool()).insertScope(scope, false).await()) {
        throw new IllegalStateException("scope " + name + " is registered already");
      }
      out.println("created scope " + name);
    }
  }

  @Command(name = "update", description = "Change a scope registration; what is not given stays.")
  static final class Update extends AdminCommand {

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--requires-group", paramLabel = "G", description = "Replaces the groups (repeatable).")
    List<String> groups;

    @Option(names = "--no-requires-group", description = "Any user may be granted the scope.")
    boolean noGroups;

    @Option(names = "--claim", paramLabel = "NAME[=ATTRIBUTE]", description = "Replaces the claims (repeatable).")
    List<String> claims;

    @Option(names = "--no-claims", description = "Remove the scope's claims.")
    boolean noClaims;

    @Option(names = "--description", paramLabel = "TEXT")
    String description;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      ScopeRegistration stored = find(admin, name);
      ScopeRegistration scope = new ScopeRegistration(name,
        noGroups ? java.util.Set.<String>of()
          : groups == null ? stored.requiredGroups() : new LinkedHashSet<>(groups),
        noClaims ? ClaimMapping.NONE : claims == null ? stored.claims() : ClaimMapping.parse(claims),
        description == null ? stored.description() : Optional.of(description).filter(text -> !text.isEmpty()));
      validate(scope);
      if (!new RegistrationStore(admin.pool()).updateScope(scope).await()) {
        throw new IllegalStateException("no scope registration " + name);
      }
      out.println("updated scope " + name + " (replicas notice within clients.cache_ttl)");
    }
  }

  @Command(name = "list", description = "List scope registrations.")
  static final class ListScopes extends AdminCommand {

    @Option(names = "--output", paramLabel = "FORMAT", description = "text (default) or json.")
    OutputFormat output = OutputFormat.text;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      List<ScopeRegistration> scopes = new RegistrationStore(admin.pool()).scopes().await();
      if (output == OutputFormat.json) {
        out.println(new JsonArray(scopes.stream().map(ScopeCommand::json).toList()).encodePrettily());
        return;
      }
      String format = "%-24s %-30s %s%n";
      out.printf(format, "NAME", "REQUIRES GROUP", "CLAIMS");
      scopes.forEach(scope -> out.printf(format, scope.name(),
        scope.requiredGroups().isEmpty() ? "-" : String.join(" ", scope.requiredGroups()),
        scope.claims().isEmpty() ? "-" : String.join(" ", scope.claims().items())));
    }
  }

  @Command(name = "show", description = "Show a scope registration.")
  static final class Show extends AdminCommand {

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--output", paramLabel = "FORMAT", description = "text (default) or json.")
    OutputFormat output = OutputFormat.text;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      ScopeRegistration scope = find(admin, name);
      if (output == OutputFormat.json) {
        out.println(json(scope).encodePrettily());
        return;
      }
      String format = "%-16s %s%n";
      out.printf(format, "name:", scope.name());
      out.printf(format, "requires group:", scope.requiredGroups().isEmpty() ? "none (any user)"
        : String.join(" ", scope.requiredGroups()) + " (any one of them)");
      out.printf(format, "claims:", scope.claims().isEmpty() ? "none" : String.join(" ", scope.claims().items()));
      out.printf(format, "description:", scope.description().orElse(""));
    }
  }

  @Command(name = "delete", description = "Delete a scope registration: the scope then has no policy.")
  static final class Delete extends AdminCommand {

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      if (!new RegistrationStore(admin.pool()).deleteScope(name).await()) {
        throw new IllegalStateException("no scope registration " + name);
      }
      out.println("deleted scope registration " + name);
    }
  }
}
