package io.tokengate.cli;

import io.tokengate.config.ConfigException;
import io.tokengate.config.EffectiveConfiguration;
import io.tokengate.store.Database;
import io.tokengate.store.DatabaseUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "config", description = "Inspect the configuration.", subcommands = ConfigCommand.Check.class)
final class ConfigCommand {

  @Command(name = "check", description = {
    "Load and validate the configuration, connect to PostgreSQL, and print every value (secrets redacted) with "
      + "where it came from: default, file and line, environment variable or _FILE.",
    "Exit 0 when all is well, 1 with one line per problem."})
  static final class Check implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--output", paramLabel = "FORMAT", description = "text (default) or json.")
    OutputFormat output = OutputFormat.text;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      EffectiveConfiguration effective;
      try {
        effective = ConfigOption.of(spec).inspect();
      } catch (ConfigException e) {
        report(out, err, null, e.problems());
        return 1;
      }
      List<String> problems = new ArrayList<>(reachDatabase(effective));
      report(out, err, effective, problems);
      return problems.isEmpty() ? 0 : 1;
    }

    private static List<String> reachDatabase(EffectiveConfiguration effective) {
      Vertx vertx = Vertx.vertx();
      try {
        Pool pool = Database.pool(vertx, effective.config().database(), 1);
        Database.ping(pool)
          .recover(failure -> Future.failedFuture(
            DatabaseUnavailableException.describe(effective.config().database().url(), failure)))
          .await();
        return List.of();
      } catch (DatabaseUnavailableException e) {
        return List.of(e.getMessage());
      } finally {
        vertx.close().await();
      }
    }

    private void report(PrintWriter out, PrintWriter err, EffectiveConfiguration effective, List<String> problems) {
      if (output == OutputFormat.json) {
        out.println(json(effective, problems).encodePrettily());
        return;
      }
      if (effective != null) {
        out.println("configuration file: " + (effective.file() == null ? "none" : effective.file()));
        int width = effective.values().stream().mapToInt(value -> value.key().length()).max().orElse(0);
        for (EffectiveConfiguration.Value value : effective.values()) {
          out.println(String.format("%-" + width + "s  %s  (%s)", value.key(), value.value(), value.origin()));
        }
      }
      problems.forEach(problem -> err.println("tokengate: " + problem));
      if (problems.isEmpty()) {
        out.println("configuration is valid and PostgreSQL answers");
      }
    }

    private static JsonObject json(EffectiveConfiguration effective, List<String> problems) {
      JsonObject json = new JsonObject().put("valid", problems.isEmpty()).put("problems", new JsonArray(problems));
      if (effective != null) {
        JsonArray values = new JsonArray();
        effective.values().forEach(value -> values.add(new JsonObject()
          .put("key", value.key())
          .put("value", value.value())
          .put("type", value.type().description())
          .put("secret", value.type().isSecret())
          .put("origin", value.origin().kind().name().toLowerCase(java.util.Locale.ROOT))
          .put("from", value.origin().where())));
        json.put("file", effective.file() == null ? null : effective.file().toString()).put("values", values);
      }
      return json;
    }
  }
}
