package io.tokengate.support;

import io.tokengate.config.DatabaseUrl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real PgBouncer (Debian's {@code pgbouncer}) in front of the test PostgreSQL, on a free port in a temporary
 * directory, in transaction pooling mode and otherwise with PgBouncer's defaults: no {@code ignore_startup_parameters},
 * no prepared-statement tracking. Every database of the server is reachable through it under its own name.
 */
public final class PgBouncer implements AutoCloseable {

  private final Path directory;
  private final Process process;
  private final int port;
  private final DatabaseUrl upstream;

  private PgBouncer(Path directory, Process process, int port, DatabaseUrl upstream) {
    this.directory = directory;
    this.process = process;
    this.port = port;
    this.upstream = upstream;
  }

  /** Starts one in front of {@code server} (any database of it; its user and password are the pooler's). */
  public static PgBouncer transactionMode(DatabaseUrl server) {
    try {
      Path directory = Files.createTempDirectory("tokengate-pgbouncer");
      // PgBouncer refuses to run as root; as root it is started as nobody, who must read and write here.
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
      int port = freePort();
      var options = server.connectOptions();
      String password = options.getPassword() == null ? "" : options.getPassword();
      Files.writeString(directory.resolve("users.txt"), "\"" + options.getUser() + "\" \"" + password + "\"\n");
      Files.writeString(directory.resolve("pgbouncer.ini"), String.join("\n",
        "[databases]",
        "* = host=" + options.getHost() + " port=" + options.getPort()
          + (password.isEmpty() ? "" : " password=" + password),
        "[pgbouncer]",
        "listen_addr = 127.0.0.1",
        "listen_port = " + port,
        "unix_socket_dir =",
        "auth_type = trust",
        "auth_file = " + directory.resolve("users.txt"),
        "pool_mode = transaction",
        "logfile = " + directory.resolve("pgbouncer.log"),
        "pidfile = " + directory.resolve("pgbouncer.pid"),
        ""));
      List<String> command = new ArrayList<>(List.of("pgbouncer"));
      if ("root".equals(System.getProperty("user.name"))) {
        command.addAll(List.of("-u", "nobody"));
      }
      command.add(directory.resolve("pgbouncer.ini").toString());
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(directory.resolve("stdout.log").toFile()).start();
      PgBouncer bouncer = new PgBouncer(directory, process, port, server);
      bouncer.awaitListening();
      return bouncer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  /** {@code url} (a database of the server behind) as reached through this PgBouncer. */
  public DatabaseUrl through(DatabaseUrl url) {
    String value = url.value();
    String hostPort = upstream.host() + ":" + upstream.port();
    if (!value.contains(hostPort)) {
      throw new IllegalArgumentException("not a database of " + upstream + ": " + url);
    }
    return new DatabaseUrl(value.replace(hostPort, "127.0.0.1:" + port));
  }

  /** PgBouncer's log, for assertions on what it refused. */
  public String log() {
    try {
      Path log = directory.resolve("pgbouncer.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitListening() {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("pgbouncer exited: " + log());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep();
      }
    }
    close();
    throw new IllegalStateException("pgbouncer did not listen on " + port + " within 10 s: " + log());
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      try (Stream<Path> files = Files.walk(directory)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
