package io.tokengate.cli;

import io.tokengate.user.User;
import io.tokengate.user.Usernames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

@Command(name = "token", description = "Manage issued tokens.", subcommands = TokenCommand.RevokeUser.class)
final class TokenCommand {

  @Command(name = "revoke-user", description = {
    "Revoke every session (refresh-token family) of a user, for a compromised account."})
  static final class RevokeUser extends AdminCommand {

    @Parameters(index = "0", paramLabel = "USERNAME")
    String username;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      User user = admin.user(username);
      int revoked = admin.refreshTokens().revokeAllOf(user.id()).await();
      out.println("revoked " + revoked + " session" + (revoked == 1 ? "" : "s") + " (refresh-token families) of "
        + user.username());
    }
  }
}
