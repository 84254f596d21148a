package io.tokengate.cli;

import io.tokengate.config.Durations;
import io.tokengate.store.Migrations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

@Command(name = "migrate", description = {
  "Apply pending database schema migrations and exit.",
  "With --wait, apply nothing: wait until another process (the migration Job) has applied every migration this "
    + "version knows, then exit 0; exit 1 if that has not happened in time."})
final class MigrateCommand extends AdminCommand {

  private static final Duration POLL = Duration.ofSeconds(2);

  @Option(names = "--wait", paramLabel = "DURATION", description = "Wait up to this long, e.g. 5m, for the schema.")
  String waitFor;

  @Override
  void run(AdminContext admin, PrintWriter out) {
    if (waitFor == null) {
      List<String> applied = Migrations.apply(admin.vertx(), admin.pool()).await();
      out.println(applied.isEmpty() ? "schema is up to date" : "applied " + String.join(", ", applied));
      return;
    }
    long deadline = System.nanoTime() + Durations.parse(waitFor).toNanos();
    List<String> pending = Migrations.pending(admin.vertx(), admin.pool()).await();
    while (!pending.isEmpty() && System.nanoTime() - deadline < 0) {
      sleep();
      pending = Migrations.pending(admin.vertx(), admin.pool()).await();
    }
    if (!pending.isEmpty()) {
      throw new IllegalStateException("the schema still lacks " + String.join(", ", pending) + " after " + waitFor
        + ": has the migration Job run?");
    }
    out.println("schema is up to date");
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the schema");
    }
  }
}
