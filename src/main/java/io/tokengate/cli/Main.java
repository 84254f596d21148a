package io.tokengate.cli;

import io.tokengate.logging.Logging;

/** {@code java -jar tokengate.jar [command]}: see {@link TokengateCommand}. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    Logging.configure();
    System.exit(TokengateCommand.create().execute(args));
  }
}
