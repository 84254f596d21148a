package io.tokengate.cli;

import io.tokengate.claims.ResourceRegistration;
import io.tokengate.claims.ScopeRegistration;
import io.tokengate.client.Client;
import io.tokengate.store.RegistrationStore;
import io.tokengate.client.ClientRegistration;
import io.tokengate.config.ConfigException;
import io.tokengate.store.ClientRows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

@Command(name = "apply", description = {
  "Create or update the registrations a file declares (docs/declarative-registrations.md); a second run changes "
    + "nothing. Registrations it creates or updates are marked managed. The whole file is checked first and applied "
    + "in one transaction under an advisory lock; a malformed file changes nothing and every problem is printed with "
    + "its line."})
final class ApplyCommand extends AdminCommand {

  @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The registrations (YAML).")
  Path file;

  @Option(names = "--dry-run", description = "Print what would change, write nothing.")
  boolean dryRun;

  @Option(names = "--prune", description = "Disable managed registrations the file no longer lists (never ones no "
    + "file has listed).")
  boolean prune;

  @Option(names = "--delete", description = "With --prune: delete them instead (their refresh tokens with them).")
  boolean delete;

  private List<RegistrationFile.Declared> declared;
  private RegistrationFile.Declarations declarations;

  /** What apply does to one client. */
  private record Step(String clientId, String action, List<String> changes) {

    String describe() {
      return action + " client " + clientId + (changes.isEmpty() ? "" : ": " + String.join(", ", changes));
    }
  }

  @Override
  void readInput() {
    if (delete && !prune) {
      throw new IllegalArgumentException("--delete goes with --prune");
    }
    declarations = RegistrationFile.readAll(file);
    declared = declarations.clients();
  }

  @Override
  void run(AdminContext admin, PrintWriter out) {
    ClientRegistration registration = admin.clients();
    List<String> otherSteps = new ArrayList<>();
    List<Step> steps = admin.pool().withTransaction(connection -> {
      ClientRows rows = new ClientRows(connection);
      return rows.lock().compose(locked -> rows.all())
        .compose(stored -> prepare(registration, stored).compose(desired -> {
          List<Step> planned = plan(stored, desired);
          return dryRun ? Future.succeededFuture(planned) : write(rows, planned, desired).map(planned);
        }))
        .compose(planned -> scopesAndResources(new RegistrationStore(connection), otherSteps).map(planned));
    }).await();
    String prefix = dryRun ? "would " : "";
    otherSteps.forEach(step -> out.println(prefix + step));
    if (!otherSteps.isEmpty()) {
      steps = new ArrayList<>(steps);
      for (String step : otherSteps) {
        steps.add(new Step(step, step.substring(0, step.indexOf(' ')), List.of()));
      }
    }
    steps.stream().filter(step -> !step.action().equals("unchanged") && !otherSteps.contains(step.clientId()))
      .forEach(step -> out.println(prefix + step.describe()));
    Map<String, Long> counts = steps.stream().collect(Collectors.groupingBy(Step::action, Collectors.counting()));
    if (counts.keySet().equals(Set.of("unchanged")) || steps.isEmpty()) {
      out.println("nothing to change (" + steps.size() + " client" + (steps.size() == 1 ? "" : "s") + " as declared)");
    } else {
      out.println((dryRun ? "dry run, nothing written: " : "applied: ") + counts.entrySet().stream()
        .sorted(Map.Entry.comparingByKey()).map(entry -> entry.getValue() + " " + entry.getKey())
        .collect(Collectors.joining(", ")));
    }
  }

  /**
   * Scope and resource registrations as the file declares them: created, updated or adopted (then managed); with
   * --prune, managed ones the file no longer lists are deleted (a registration has no disabled state).
   */
  private Future<Void> scopesAndResources(RegistrationStore store, List<String> steps) {
    return Future.all(store.scopes(), store.resources(), store.managed("scopes"), store.managed("resources"))
      .compose(all -> {
        Map<String, ScopeRegistration> storedScopes = new java.util.LinkedHashMap<>();
        all.<List<ScopeRegistration>>resultAt(0).forEach(scope -> storedScopes.put(scope.name(), scope));
        Map<String, ResourceRegistration> storedResources = new java.util.LinkedHashMap<>();
        all.<List<ResourceRegistration>>resultAt(1).forEach(resource -> storedResources.put(resource.uri(), resource));
        Set<String> managedScopes = all.resultAt(2);
        Set<String> managedResources = all.resultAt(3);
        Future<Void> chain = Future.succeededFuture();
        for (ScopeRegistration scope : declarations.scopes()) {
          ScopeRegistration before = storedScopes.get(scope.name());
          String action = before == null ? "created" : !managedScopes.contains(scope.name()) ? "adopted"
            : before.equals(scope) ? "unchanged" : "updated";
          if (!action.equals("unchanged")) {
            steps.add(action + " scope " + scope.name());
            chain = chain.compose(done -> dryRun ? Future.succeededFuture() : store.applyScope(scope));
          }
        }
        for (ResourceRegistration resource : declarations.resources()) {
          ResourceRegistration before = storedResources.get(resource.uri());
          String action = before == null ? "created" : !managedResources.contains(resource.uri()) ? "adopted"
            : before.equals(resource) ? "unchanged" : "updated";
          if (!action.equals("unchanged")) {
            steps.add(action + " resource " + resource.uri());
            chain = chain.compose(done -> dryRun ? Future.succeededFuture() : store.applyResource(resource));
          }
        }
        if (prune) {
          Set<String> declaredScopes = declarations.scopes().stream().map(ScopeRegistration::name)
            .collect(Collectors.toSet());
          for (String name : managedScopes) {
            if (!declaredScopes.contains(name)) {
              steps.add("deleted scope " + name + ": no longer in the file");
              chain = chain.compose(done -> dryRun ? Future.succeededFuture() : store.deleteScope(name).mapEmpty());
            }
          }
          Set<String> declaredResources = declarations.resources().stream().map(ResourceRegistration::uri)
            .collect(Collectors.toSet());
          for (String uri : managedResources) {
            if (!declaredResources.contains(uri)) {
              steps.add("deleted resource " + uri + ": no longer in the file");
              chain = chain.compose(done -> dryRun ? Future.succeededFuture()
                : store.deleteResource(uri).mapEmpty());
            }
          }
        }
        return chain;
      });
  }

  /** Every declared client as it would be stored; every problem, with its line, before anything is written. */
  private Future<Map<String, Client>> prepare(ClientRegistration registration, Map<String, ClientRows.Stored> stored) {
    Map<String, Client> desired = new java.util.LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (RegistrationFile.Declared client : declared) {
      Optional<Client> existing = Optional.ofNullable(stored.get(client.clientId())).map(ClientRows.Stored::client);
      chain = chain.compose(done -> registration.declared(client.request(), existing)
        .map(made -> desired.put(client.clientId(), made))
        .recover(failure -> {
          problems.add(file + ":" + client.line() + ": client " + client.clientId() + ": " + failure.getMessage());
          return Future.succeededFuture();
        })
        .mapEmpty());
    }
    return chain.compose(done -> problems.isEmpty() ? Future.succeededFuture(desired)
      : Future.failedFuture(new ConfigException(problems)));
  }

  private List<Step> plan(Map<String, ClientRows.Stored> stored, Map<String, Client> desired) {
    List<Step> steps = new ArrayList<>();
    desired.forEach((id, client) -> {
      ClientRows.Stored before = stored.get(id);
      if (before == null) {
        steps.add(new Step(id, "created", List.of()));
        return;
      }
      List<String> changes = changes(before.client(), client);
      if (!before.managed()) {
        steps.add(new Step(id, "adopted", changes));
      } else {
        steps.add(new Step(id, changes.isEmpty() ? "unchanged" : "updated", changes));
      }
    });
    if (prune) {
      stored.forEach((id, before) -> {
        if (before.managed() && !desired.containsKey(id)) {
          if (delete) {
            steps.add(new Step(id, "deleted", List.of("no longer in the file")));
          } else if (before.client().enabled()) {
            steps.add(new Step(id, "disabled", List.of("no longer in the file")));
          }
        }
      });
    }
    return steps;
  }

  private static Future<Void> write(ClientRows rows, List<Step> steps, Map<String, Client> desired) {
    Future<Void> chain = Future.succeededFuture();
    for (Step step : steps) {
      chain = chain.compose(done -> switch (step.action()) {
        case "created" -> rows.insert(desired.get(step.clientId()));
        case "updated", "adopted" -> rows.replace(desired.get(step.clientId()));
        case "disabled" -> rows.disable(step.clientId());
        case "deleted" -> rows.delete(step.clientId());
        default -> Future.succeededFuture();
      });
    }
    return chain;
  }

  /** The fields that differ, by their --output json names; the secret and the JWKS by content, never shown. */
  static List<String> changes(Client before, Client after) {
    JsonObject was = RecordJson.client(before);
    JsonObject is = RecordJson.client(after);
    List<String> changed = new ArrayList<>();
    for (String field : is.fieldNames()) {
      if (!java.util.Objects.equals(was.getValue(field), is.getValue(field))) {
        changed.add(field);
      }
    }
    if (!java.util.Objects.equals(before.secretHash(), after.secretHash())
      || !Arrays.equals(before.keys().sealedSecret().orElse(null), after.keys().sealedSecret().orElse(null))) {
      changed.add("secret");
    }
    if (!before.keys().jwks().map(jwks -> jwks.toString(true)).equals(after.keys().jwks().map(jwks -> jwks.toString(true)))
      && !changed.contains("jwks_kids")) {
      changed.add("jwks");
    }
    return changed;
  }
}
