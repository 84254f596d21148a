package io.tokengate.cli;

import io.tokengate.config.Config;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * An operator command that works on the database: it loads the configuration, reads its input, opens an
 * {@link AdminContext} (failing with one line when the database cannot be used), does its work, and closes it.
 */
abstract class AdminCommand implements Callable<Integer> {


  @Spec
  CommandSpec spec;

  /** Reads what comes from the terminal or standard input, before the database is opened. */
  void readInput() throws IOException {
  }

  abstract void run(AdminContext admin, PrintWriter out);

  @Override
  public final Integer call() throws IOException {
    Config loaded = ConfigOption.of(spec).load();
    readInput();
    try (AdminContext admin = AdminContext.open(loaded)) {
      run(admin, spec.commandLine().getOut());
      return 0;
    }
  }
}
