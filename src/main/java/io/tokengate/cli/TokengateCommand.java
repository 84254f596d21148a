package io.tokengate.cli;

import io.tokengate.config.ConfigException;
import io.tokengate.store.DatabaseUnavailableException;
import io.tokengate.metrics.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "tokengate", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = TokengateCommand.Version.class,
  description = "An OAuth 2.0 token gateway for the resource owner password credentials grant.",
  subcommands = {ServeCommand.class, MigrateCommand.class, ClientCommand.class, UserCommand.class, TokenCommand.class,
    KeysCommand.class, HashBenchCommand.class,
    CommandLine.HelpCommand.class})
public final class TokengateCommand implements Callable<Integer> {

  /** Exit status of a command that was used wrongly or configured badly. */
  static final int USAGE = 2;

  @Mixin
  ConfigOption config;

  /** No command: serve. */
  @Override
  public Integer call() throws Exception {
    ServeCommand serve = new ServeCommand();
    serve.config = config;
    return serve.call();
  }

  /** The command line, with errors printed as one line instead of a stack trace. */
  public static CommandLine create() {
    return new CommandLine(new TokengateCommand())
      .setExecutionExceptionHandler((failure, commandLine, parsed) -> {
        commandLine.getErr().println("tokengate: " + describe(failure));
        return failure instanceof ConfigException || failure instanceof IllegalArgumentException ? USAGE : 1;
      });
  }

  private static String describe(Throwable failure) {
    if (failure instanceof ConfigException || failure instanceof DatabaseUnavailableException
      || failure instanceof IllegalArgumentException || failure instanceof IllegalStateException) {
      return failure.getMessage();
    }
    String message = failure.getMessage();
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"tokengate " + BuildInfo.version()};
    }
  }
}
