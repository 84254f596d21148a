package io.tokengate.cli;

import io.tokengate.user.User;
import io.tokengate.user.Usernames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;

@Command(name = "user", description = "Manage users.", subcommands = {UserCommand.Create.class, UserCommand.Disable.class})
final class UserCommand {

  @Command(name = "create", description = {
    "Create a user. The password is prompted for on the terminal, or read from standard input with --password-stdin."})
  static final class Create extends AdminCommand {

    @Parameters(index = "0", paramLabel = "USERNAME")
    String username;

    @Option(names = "--password-stdin", description = "Read the password from standard input.")
    boolean passwordFromStdin;

    private String password;

    @Override
    void readInput() throws IOException {
      password = SecretInput.read("password", passwordFromStdin);
    }

    @Override
    void run(AdminContext admin, PrintWriter out) {
      User user = admin.users().create(username, password).await();
      out.println("created user " + user.username() + " (id " + user.id() + ")");
    }
  }

  @Command(name = "disable", description = "Disable a user: no more password grants, and its refresh tokens stop working.")
  static final class Disable extends AdminCommand {

    @Parameters(index = "0", paramLabel = "USERNAME")
    String username;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      String normalized = Usernames.normalize(username);
      if (!admin.userStore().disable(normalized).await()) {
        throw new IllegalStateException("no user " + normalized);
      }
      out.println("disabled user " + normalized + " (its access tokens introspect inactive from now on, and expire"
        + " within minutes)");
    }
  }
}
