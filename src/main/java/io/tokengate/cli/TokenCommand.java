package io.tokengate.cli;

import io.tokengate.user.User;
import io.tokengate.user.Usernames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "token", description = "Manage issued tokens.", subcommands = TokenCommand.RevokeUser.class)
final class TokenCommand {

  @Command(name = "revoke-user", description = {
    "Revoke every refresh token of a user (for a compromised account). Access tokens expire on their own."})
  static final class RevokeUser implements Callable<Integer> {

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
        User user = admin.userStore().findByUsername(normalized).await()
          .orElseThrow(() -> new IllegalStateException("no user " + normalized));
        int revoked = admin.refreshTokens().revokeAllOf(user.id()).await();
        spec.commandLine().getOut().println("revoked " + revoked + " session" + (revoked == 1 ? "" : "s")
          + " (refresh-token families) of " + normalized);
        return 0;
      }
    }
  }
}
