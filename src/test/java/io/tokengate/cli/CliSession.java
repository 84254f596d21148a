package io.tokengate.cli;

import io.tokengate.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A database of its own, migrated, and the operator's commands run in-process against it exactly as
 * {@code java -jar tokengate.jar ... --config FILE} runs them.
 */
final class CliSession implements AutoCloseable {

  record Run(int exitCode, String out, String err) {
  }

  private final TestDatabase database = TestDatabase.create();
  private final Vertx vertx = Vertx.vertx();
  private final Pool pool = PgBuilder.pool().connectingTo(database.url().connectOptions()).using(vertx).build();
  private final Path config;

  CliSession(Path directory) {
    this(directory, "");
  }

  /** @param moreYaml further top-level configuration, after the database URL */
  CliSession(Path directory, String moreYaml) {
    try {
      config = Files.writeString(directory.resolve("tokengate.yaml"), "database:\n  url: " + database.url().value()
        + "\n" + moreYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Run migrated = run("migrate");
    if (migrated.exitCode() != 0) {
      throw new IllegalStateException(migrated.err());
    }
  }

  TestDatabase database() {
    return database;
  }

  Run run(String... args) {
    return runWithInput("", args);
  }

  /** With {@code stdin} as standard input (a password for --password-stdin). */
  Run runWithInput(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] withConfig = new String[args.length + 2];
    System.arraycopy(args, 0, withConfig, 0, args.length);
    withConfig[args.length] = "--config";
    withConfig[args.length + 1] = config.toString();
    InputStream originalIn = System.in;
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      CommandLine commandLine = TokengateCommand.create().setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true));
      return new Run(commandLine.execute(withConfig), out.toString(), err.toString());
    } finally {
      System.setIn(originalIn);
    }
  }

  /** The first column of the first row, as text (null when there is no row or it is NULL). */
  String column(String query, Object... parameters) {
    var rows = pool.preparedQuery(query).execute(Tuple.wrap(List.of(parameters))).await();
    if (rows.size() == 0) {
      return null;
    }
    Object value = rows.iterator().next().getValue(0);
    return value == null ? null : value.toString();
  }

  void sql(String statement, Object... parameters) {
    pool.preparedQuery(statement).execute(Tuple.wrap(List.of(parameters))).await();
  }

  @Override
  public void close() {
    try {
      vertx.close().await();
    } finally {
      database.close();
    }
  }
}
