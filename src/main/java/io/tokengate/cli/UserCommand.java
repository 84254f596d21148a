package io.tokengate.cli;

import io.tokengate.user.Lockout;
import io.vertx.core.json.JsonArray;
import io.tokengate.user.PasswordHashing;
import io.tokengate.user.TotpSecretSealer;
import io.tokengate.user.TotpSecrets;
import io.tokengate.user.User;
import io.tokengate.user.Usernames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

@Command(name = "user", description = "Manage users.", subcommands = {UserCommand.Create.class, UserCommand.ListUsers.class,
  UserCommand.Disable.class, UserCommand.Enable.class, UserCommand.Delete.class, UserCommand.SetPassword.class,
  UserCommand.Show.class, UserCommand.Unlock.class, UserCommand.TotpCommand.class, UserImportCommand.class,
  UserSetCommand.class})
final class UserCommand {

  @Command(name = "create", description = {
    "Create a user. The password is prompted for on the terminal, or read from standard input with --password-stdin."})
  static final class Create extends AdminCommand {

    @Mixin
    NewPassword input = new NewPassword();

    @Override
    void readInput() throws IOException {
      input.read();
    }

    @Override
    void run(AdminContext admin, PrintWriter out) {
      User user = admin.users().create(input.username, input.password()).await();
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

  @Command(name = "list", description = "List users in username order (never a password hash).")
  static final class ListUsers extends AdminCommand {

    @Option(names = "--prefix", paramLabel = "P", description = "Only usernames starting with P.")
    String prefix = "";

    @Option(names = "--limit", paramLabel = "N", description = "At most N users (default 100).")
    int limit = 100;

    @Option(names = "--output", paramLabel = "FORMAT", description = "text (default) or json.")
    OutputFormat output = OutputFormat.text;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      if (limit < 1) {
        throw new IllegalArgumentException("--limit must be at least 1");
      }
      List<User> users = admin.userStore().list(Usernames.normalize(prefix), limit).await();
      if (output == OutputFormat.json) {
        out.println(new JsonArray(users.stream().map(RecordJson::user).toList()).encodePrettily());
        return;
      }
      String format = "%-40s %-36s %-8s %s%n";
      out.printf(format, "USERNAME", "ID", "ENABLED", "SECOND FACTOR");
      users.forEach(user -> out.printf(format, user.username(), user.id(), user.enabled(),
        user.hasSecondFactor() ? "totp" : "none"));
    }
  }

  @Command(name = "enable", description = "Enable a disabled user again.")
  static final class Enable extends AdminCommand {

    @Parameters(index = "0", paramLabel = "USERNAME")
    String username;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      String normalized = Usernames.normalize(username);
      if (!admin.userStore().enable(normalized).await()) {
        throw new IllegalStateException("no user " + normalized);
      }
      out.println("enabled user " + normalized);
    }
  }

  @Command(name = "delete", description = {
    "Delete a user: its sessions (refresh-token families) are revoked with it, its failed attempts forgotten, and "
      + "its access tokens introspect inactive from now on."})
  static final class Delete extends AdminCommand {

    @Parameters(index = "0", paramLabel = "USERNAME")
    String username;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      String normalized = Usernames.normalize(username);
      User deleted = admin.userStore().delete(normalized).await()
        .orElseThrow(() -> new IllegalStateException("no user " + normalized));
      admin.lockout().unlock(normalized).await();
      out.println("deleted user " + deleted.username() + " (id " + deleted.id() + ") with its sessions");
    }
  }

  @Command(name = "set-password", description = {
    "Set a user's password: prompted for on the terminal, or read from standard input with --password-stdin."})
  static final class SetPassword extends AdminCommand {

    @Mixin
    NewPassword input = new NewPassword();

    @Override
    void readInput() throws IOException {
      input.read();
    }

    @Override
    void run(AdminContext admin, PrintWriter out) {
      String normalized = admin.user(input.username).username();
      if (!admin.users().setPassword(normalized, input.password()).await()) {
        throw new IllegalStateException("no user " + normalized);
      }
      out.println("set the password of " + normalized);
    }
  }

  @Command(name = "show", description = "Show a user: enabled, failed password grants, lock expiry.")
  static final class Show extends AdminCommand {

    @Parameters(index = "0", paramLabel = "USERNAME")
    String username;

    @Option(names = "--output", paramLabel = "FORMAT", description = "text (default) or json.")
    OutputFormat output = OutputFormat.text;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      User user = admin.user(username);
      Lockout lockout = admin.lockout();
      Optional<Lockout.Attempts> attempts = lockout.attempts(lockout.key(user.username())).await();
      if (output == OutputFormat.json) {
        out.println(RecordJson.user(user)
          .put("failed_attempts", attempts.map(Lockout.Attempts::failures).orElse(0))
          .put("locked_until", attempts.filter(found -> found.lockedAt(lockout.now()))
            .flatMap(Lockout.Attempts::lockedUntil).map(Object::toString).orElse(null))
          .encodePrettily());
        return;
      }
      String format = "%-18s %s%n";
      out.printf(format, "username:", user.username());
      out.printf(format, "id:", user.id());
      out.printf(format, "enabled:", user.enabled());
      out.printf(format, "second factor:", user.hasSecondFactor() ? "TOTP" : "none");
      out.printf(format, "groups:", user.profile().groups().isEmpty() ? "none" : String.join(" ", user.profile().groups()));
      user.profile().attributes().forEach((name, values) -> out.printf(format, "attribute " + name + ":",
        String.join(", ", values)));
      out.printf(format, "password hash:", PasswordHashing.scheme(user.passwordHash())
        + (admin.passwordHashing().needsRehash(user.passwordHash()) ? " (replaced by Argon2id at the next login)" : ""));
      out.printf(format, "failed attempts:", attempts.map(Lockout.Attempts::failures).orElse(0)
        + attempts.map(found -> " (last " + found.lastFailureAt() + ")").orElse(""));
      out.printf(format, "locked until:", attempts.filter(found -> found.lockedAt(lockout.now()))
        .flatMap(Lockout.Attempts::lockedUntil).map(Object::toString).orElse("not locked"));
    }
  }

  @Command(name = "unlock", description = "Forget a username's failed password grants and lift its lock.")
  static final class Unlock extends AdminCommand {

    @Parameters(index = "0", paramLabel = "USERNAME")
    String username;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      String normalized = Usernames.normalize(username);
      boolean had = admin.lockout().unlock(normalized).await();
      out.println(had ? "unlocked " + normalized + " (its failed attempts are forgotten)"
        : normalized + " had no failed attempts");
    }
  }

  @Command(name = "totp", description = "A user's second factor (TOTP, RFC 6238).",
    subcommands = {TotpCommand.Enroll.class, TotpCommand.Remove.class})
  static final class TotpCommand {

    @Command(name = "enroll", description = {
      "Give a user a new TOTP secret and print its otpauth:// URI once (for a QR code or an authenticator app).",
      "An earlier secret stops working. Needs totp.encryption_key."})
    static final class Enroll extends AdminCommand {

      @Parameters(index = "0", paramLabel = "USERNAME")
      String username;

      @Override
      void run(AdminContext admin, PrintWriter out) {
        TotpSecretSealer sealer = TotpSecretSealer.of(admin.config().keyring())
          .orElseThrow(() -> new IllegalArgumentException("enrolling needs secrets.sealing_keys (or the deprecated totp.encryption_key) to be configured"));
        User user = admin.user(username);
        byte[] secret = TotpSecrets.newSecret();
        admin.userStore().setTotpSecret(user.id(), sealer.seal(user.id(), secret)).await();
        out.println("otpauth_uri: " + TotpSecrets.otpauthUri(admin.config().totp().issuer(), user.username(), secret));
        out.println("secret:      " + TotpSecrets.base32(secret));
        out.println("(shown once: only its sealed form is stored)");
      }
    }

    @Command(name = "remove", description = "Remove a user's second factor.")
    static final class Remove extends AdminCommand {

      @Parameters(index = "0", paramLabel = "USERNAME")
      String username;

      @Override
      void run(AdminContext admin, PrintWriter out) {
        User user = admin.user(username);
        admin.userStore().setTotpSecret(user.id(), null).await();
        out.println("removed the second factor of " + user.username());
      }
    }
  }
}
