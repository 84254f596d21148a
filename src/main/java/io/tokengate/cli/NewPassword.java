package io.tokengate.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;

/**
 * A username and the password to give it: prompted for without echo, or read from standard input with
 * {@code --password-stdin}; never an argument, which any local user could read. Shared by {@code user create} and
 * {@code user set-password}.
 */
final class NewPassword {

  @Parameters(index = "0", paramLabel = "USERNAME")
  String username;

  @Option(names = "--password-stdin", description = "Read the password from standard input.")
  boolean passwordFromStdin;

  private String password;

  /** Reads the password, before the database is opened. */
  void read() throws IOException {
    password = SecretInput.read("password", passwordFromStdin);
  }

  String password() {
    return password;
  }
}
