package io.tokengate.cli;

import io.tokengate.user.User;
import io.tokengate.user.Usernames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.concurrent.Callable;

@Command(name = "user", description = "Manage users.", subcommands = {UserCommand.Create.class, UserCommand.Disable.class})
final class UserCommand {

  @Command(name = "create", description = {
    "Create a user. The password is prompted for on the terminal, or read from standard input with --password-stdin."})
  static final class Create implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "USERNAME")
    String username;

    @Option(names = "--password-stdin", description = "Read the password from standard input.")
    boolean passwordFromStdin;

    @Override
    public Integer call() throws IOException {
      String password = SecretInput.read("password", passwordFromStdin);
      try (AdminContext admin = AdminContext.open(config.load())) {
        User user = admin.users().create(username, password).await();
        spec.commandLine().getOut().println("created user " + user.username() + " (id " + user.id() + ")");
        return 0;
      }
    }
  }

  @Command(name = "disable", description = "Disable a user: no more password grants, and its refresh tokens stop working.")
  static final class Disable implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "USERNAME")
    String username;

    @Override
    public Integer call() {
      String normalized = Usernames.normalize(username);
      try (AdminContext admin = AdminContext.open(config.load())) {
        if (!admin.userStore().disable(normalized).await()) {
          throw new IllegalStateException("no user " + normalized);
        }
        spec.commandLine().getOut().println("disabled user " + normalized
          + " (access tokens already issued stay valid until they expire)");
        return 0;
      }
    }
  }
}
