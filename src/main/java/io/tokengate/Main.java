package io.tokengate;

import io.tokengate.cli.TokengateCommand;

import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** {@code java -jar tokengate.jar [command]}: see {@link TokengateCommand}. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    configureLogging();
    System.exit(TokengateCommand.create().execute(args));
  }

  /** One line per record on standard error: time, level, logger, message (and a cause's trace for errors). */
  static void configureLogging() {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL%1$tz %4$s %3$s %5$s%6$s%n");
    LogManager.getLogManager().reset();
    ConsoleHandler handler = new ConsoleHandler();
    handler.setFormatter(new SimpleFormatter());
    handler.setLevel(Level.ALL);
    Logger root = Logger.getLogger("");
    root.addHandler(handler);
    root.setLevel(Level.INFO);
    // Netty logs its own start-up details at INFO; they are noise in a service's log.
    Logger.getLogger("io.netty").setLevel(Level.WARNING);
  }
}
