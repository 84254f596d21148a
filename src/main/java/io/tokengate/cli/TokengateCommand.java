package io.tokengate.cli;

import io.tokengate.config.ConfigException;
import io.tokengate.metrics.BuildInfo;
import io.tokengate.store.DatabaseUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "tokengate", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = TokengateCommand.Version.class,
  description = "An OAuth 2.0 token gateway for the resource owner password credentials grant.",
  subcommands = {ServeCommand.class, MigrateCommand.class, ClientCommand.class, UserCommand.class, ScopeCommand.class,
    ResourceCommand.class, TokenCommand.class,
    KeysCommand.class, ApplyCommand.class, ExportCommand.class, ConfigCommand.class, HashBenchCommand.class,
    CommandLine.HelpCommand.class})
public final class TokengateCommand implements Callable<Integer> {

  /** Exit status of a command that was used wrongly or configured badly. */
  static final int USAGE = 2;

  private final Map<String, String> env;
  private Path configFile;

  @Spec
  CommandSpec spec;

  private TokengateCommand(Map<String, String> env) {
    this.env = env;
  }

  // One option inherited by every command, so that `--config F client list` and `client list --config F` mean the
  // same; picocli sets it here whichever command it is given on.
  @Option(names = "--config", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
    description = "Configuration file (default: $TOKENGATE_CONFIG, else config/tokengate.yaml if present).")
  void configFile(Path file) {
    if (configFile != null) {
      throw new ParameterException(spec.commandLine(), "--config is given twice (" + configFile + " and " + file
        + "); give it once");
    }
    configFile = file;
  }

  ConfigOption configOption() {
    return new ConfigOption(configFile, env);
  }

  /** No command: serve. */
  @Override
  public Integer call() throws Exception {
    return new ServeCommand().serve(configOption().load(), false);
  }

  /** The command line of this process, with errors printed as one line instead of a stack trace. */
  public static CommandLine create() {
    return create(System.getenv());
  }

  /** The command line, reading configuration variables from {@code env}. */
  public static CommandLine create(Map<String, String> env) {
    CommandLine root = new CommandLine(new TokengateCommand(env));
    // `tokengate completion > tokengate.bash`: a bash/zsh completion script from the command tree itself.
    root.addSubcommand("completion", new CommandLine(new picocli.AutoComplete.GenerateCompletion()));
    return root
      .setExecutionExceptionHandler((failure, commandLine, parsed) -> {
        if (failure instanceof ConfigException config) {
          config.problems().forEach(problem -> commandLine.getErr().println("tokengate: " + problem));
          return USAGE;
        }
        commandLine.getErr().println("tokengate: " + describe(failure));
        return failure instanceof IllegalArgumentException ? USAGE : 1;
      });
  }

  private static String describe(Throwable failure) {
    if (failure instanceof DatabaseUnavailableException || failure instanceof IllegalArgumentException
      || failure instanceof IllegalStateException) {
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
