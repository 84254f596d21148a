package io.tokengate.cli;

import io.tokengate.store.Migrations;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;

@Command(name = "migrate", description = "Apply pending database schema migrations and exit.")
final class MigrateCommand extends AdminCommand {

  @Override
  void run(AdminContext admin, PrintWriter out) {
    List<String> applied = Migrations.apply(admin.vertx(), admin.pool()).await();
    out.println(applied.isEmpty() ? "schema is up to date" : "applied " + String.join(", ", applied));
  }
}
