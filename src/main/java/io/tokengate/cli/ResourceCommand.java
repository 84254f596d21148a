package io.tokengate.cli;

import io.tokengate.claims.ResourceRegistration;
import io.tokengate.config.Durations;
import io.tokengate.oauth.Scopes;
import io.tokengate.store.RegistrationStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

@Command(name = "resource", description = {
  "Resource registrations (RFC 8707): the URIs a token may be asked for with `resource`, which become its `aud`, the "
    + "scopes that belong to each, and an optional shorter access-token lifetime."},
  subcommands = {ResourceCommand.Create.class, ResourceCommand.ListResources.class, ResourceCommand.Show.class,
    ResourceCommand.Update.class, ResourceCommand.Delete.class})
final class ResourceCommand {

  static JsonObject json(ResourceRegistration resource) {
    return new JsonObject().put("uri", resource.uri())
      .put("scopes", new JsonArray(List.copyOf(resource.scopes())))
      .put("access_token_lifetime", resource.accessTokenLifetime().map(Durations::format).orElse(null));
  }

  static ResourceRegistration validated(String uri, String scopes, String lifetime) {
    ResourceRegistration.problem(uri).ifPresent(problem -> {
      throw new IllegalArgumentException(problem + ": " + uri);
    });
    Set<String> parsed = new java.util.LinkedHashSet<>();
    for (String scope : scopes.split(" +")) {
      if (!scope.isEmpty()) {
        parsed.add(scope);
      }
    }
    for (String scope : parsed) {
      if (!Scopes.isValidToken(scope)) {
        throw new IllegalArgumentException("scope '" + scope + "' has characters RFC 6749 §3.3 forbids");
      }
    }
    Optional<Duration> ttl = Optional.ofNullable(lifetime).filter(text -> !text.isEmpty()).map(Durations::parse);
    if (ttl.filter(value -> value.toSeconds() < 1 || value.toHours() > 24).isPresent()) {
      throw new IllegalArgumentException("--access-token-lifetime must be between 1s and 24h");
    }
    return new ResourceRegistration(uri, parsed, ttl);
  }

  static ResourceRegistration find(AdminContext admin, String uri) {
    return new RegistrationStore(admin.pool()).resources().await().stream()
      .filter(resource -> resource.uri().equals(uri)).findFirst()
      .orElseThrow(() -> new IllegalStateException("no resource registration " + uri));
  }

  @Command(name = "create", description = "Register a resource.")
  static final class Create extends AdminCommand {

    @Parameters(index = "0", paramLabel = "URI")
    String uri;

    @Option(names = "--scopes", paramLabel = "\"A B\"", required = true,
      description = "The scopes that belong to this resource (space-separated).")
    String scopes;

    @Option(names = "--access-token-lifetime", paramLabel = "DURATION",
      description = "Tokens for it live at most this long (e.g. 5m).")
    String lifetime;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      ResourceRegistration resource = validated(uri, scopes, lifetime);
      if (!new RegistrationStore(admin.pool()).insertResource(resource, false).await()) {
        throw new IllegalStateException("resource " + uri + " is registered already");
      }
      out.println("created resource " + uri);
    }
  }

  @Command(name = "update", description = "Change a resource registration; what is not given stays.")
  static final class Update extends AdminCommand {

    @Parameters(index = "0", paramLabel = "URI")
    String uri;

    @Option(names = "--scopes", paramLabel = "\"A B\"", description = "Replaces its scopes.")
    String scopes;

    @Option(names = "--access-token-lifetime", paramLabel = "DURATION",
      description = "Replaces its lifetime; an empty value removes it.")
    String lifetime;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      ResourceRegistration stored = find(admin, uri);
      ResourceRegistration resource = validated(uri, scopes == null ? String.join(" ", stored.scopes()) : scopes,
        lifetime == null ? stored.accessTokenLifetime().map(Durations::format).orElse(null) : lifetime);
      if (!new RegistrationStore(admin.pool()).updateResource(resource).await()) {
        throw new IllegalStateException("no resource registration " + uri);
      }
      out.println("updated resource " + uri + " (replicas notice within clients.cache_ttl)");
    }
  }

  @Command(name = "list", description = "List resource registrations.")
  static final class ListResources extends AdminCommand {

    @Option(names = "--output", paramLabel = "FORMAT", description = "text (default) or json.")
    OutputFormat output = OutputFormat.text;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      List<ResourceRegistration> resources = new RegistrationStore(admin.pool()).resources().await();
      if (output == OutputFormat.json) {
        out.println(new JsonArray(resources.stream().map(ResourceCommand::json).toList()).encodePrettily());
        return;
      }
      String format = "%-48s %-30s %s%n";
      out.printf(format, "URI", "SCOPES", "ACCESS TOKEN LIFETIME");
      resources.forEach(resource -> out.printf(format, resource.uri(), String.join(" ", resource.scopes()),
        resource.accessTokenLifetime().map(Durations::format).orElse("client's")));
    }
  }

  @Command(name = "show", description = "Show a resource registration.")
  static final class Show extends AdminCommand {

    @Parameters(index = "0", paramLabel = "URI")
    String uri;

    @Option(names = "--output", paramLabel = "FORMAT", description = "text (default) or json.")
    OutputFormat output = OutputFormat.text;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      ResourceRegistration resource = find(admin, uri);
      if (output == OutputFormat.json) {
        out.println(json(resource).encodePrettily());
        return;
      }
      String format = "%-24s %s%n";
      out.printf(format, "uri:", resource.uri());
      out.printf(format, "scopes:", String.join(" ", resource.scopes()));
      out.printf(format, "access token lifetime:",
        resource.accessTokenLifetime().map(Durations::format).orElse("the client's"));
    }
  }

  @Command(name = "delete", description = "Delete a resource registration: tokens can no longer be asked for it.")
  static final class Delete extends AdminCommand {

    @Parameters(index = "0", paramLabel = "URI")
    String uri;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      if (!new RegistrationStore(admin.pool()).deleteResource(uri).await()) {
        throw new IllegalStateException("no resource registration " + uri);
      }
      out.println("deleted resource registration " + uri);
    }
  }
}
