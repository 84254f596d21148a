package io.tokengate.cli;

import io.tokengate.store.Migrations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "migrate", description = "Apply pending database schema migrations and exit.")
final class MigrateCommand implements Callable<Integer> {

  @Mixin
  ConfigOption config;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    try (AdminContext admin = AdminContext.open(config.load())) {
      List<String> applied = Migrations.apply(admin.vertx(), admin.pool()).await();
      spec.commandLine().getOut().println(applied.isEmpty() ? "schema is up to date" : "applied " + String.join(", ", applied));
      return 0;
    }
  }
}
