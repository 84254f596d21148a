package io.tokengate.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real HAProxy (Debian's {@code haproxy}) on a free port in front of tokengate replicas, checking each replica's
 * {@code /health/ready} on its management port every 200 ms (two failures take it out), as a Kubernetes Service follows readiness. A request
 * whose connection a replica refuses (its port just closed) is sent to another replica; HAProxy opens a connection
 * per request to the replicas, so that none is reused as a replica closes it. The same settings as
 * {@code src/bench/cluster.sh}.
 */
public final class HaProxy implements AutoCloseable {

  /** A replica: its public port and its management port. */
  public record Backend(int port, int managementPort) {
  }

  private final Path directory;
  private final Process process;
  private final int port;

  private HaProxy(Path directory, Process process, int port) {
    this.directory = directory;
    this.process = process;
    this.port = port;
  }

  public static HaProxy inFrontOf(List<Backend> backends) {
    try {
      Path directory = Files.createTempDirectory("tokengate-haproxy");
      int port = freePort();
      List<String> lines = new ArrayList<>(List.of(
        "global",
        "  maxconn 4096",
        "defaults",
        "  mode http",
        "  timeout connect 1s",
        "  timeout client 30s",
        "  timeout server 30s",
        "  timeout queue 5s",
        "  timeout check 1s",
        "  option http-server-close",
        "  retries 3",
        "  option redispatch 1",
        "  retry-on conn-failure",
        "frontend tokengate",
        "  bind 127.0.0.1:" + port,
        "  default_backend replicas",
        "backend replicas",
        "  balance roundrobin",
        "  option httpchk GET /health/ready",
        "  http-check expect status 200",
        "  default-server inter 200ms fall 2 rise 2"));
      for (int i = 0; i < backends.size(); i++) {
        Backend backend = backends.get(i);
        lines.add("  server replica" + i + " 127.0.0.1:" + backend.port() + " check port " + backend.managementPort());
      }
      lines.add("");
      Path config = directory.resolve("haproxy.cfg");
      Files.writeString(config, String.join("\n", lines));
      Process process = new ProcessBuilder("haproxy", "-db", "-f", config.toString()).redirectErrorStream(true)
        .redirectOutput(directory.resolve("haproxy.log").toFile()).start();
      HaProxy proxy = new HaProxy(directory, process, port);
      proxy.awaitListening();
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public String log() {
    try {
      return Files.readString(directory.resolve("haproxy.log"));
    } catch (IOException e) {
      return "";
    }
  }

  private void awaitListening() {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("haproxy exited: " + log());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
    close();
    throw new IllegalStateException("haproxy did not listen on " + port + " within 10 s: " + log());
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
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
