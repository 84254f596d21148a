package io.tokengate.cli;

import io.tokengate.config.Config;
import io.tokengate.user.Argon2Hasher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many password verifications per second this machine reaches with the configured Argon2id parameters: the
 * ceiling of the password grant ({@code cores / time of one hash}).
 */
@Command(name = "hash-bench", description = "Measure password verifications per second with the configured hash.")
final class HashBenchCommand implements Callable<Integer> {


  @Spec
  CommandSpec spec;

  @Option(names = "--seconds", description = "Measuring time per thread count (default: ${DEFAULT-VALUE}).")
  int seconds = 10;

  @Override
  public Integer call() throws InterruptedException {
    Config.Hashing hashing = ConfigOption.of(spec).load().hashing();
    Argon2Hasher hasher = Argon2Hasher.of(hashing);
    byte[] password = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
    String hash = hasher.hash(password);
    int cores = Runtime.getRuntime().availableProcessors();
    PrintWriter out = spec.commandLine().getOut();
    out.printf("Argon2id m=%d KiB, t=%d, p=%d with %s on %d cores%n", hashing.argon2MemoryKib(),
      hashing.argon2Iterations(), hashing.argon2Parallelism(), hasher.implementationName(), cores);
    measure(hasher, password, hash, cores, 5); // warm-up: the JIT compiles the hash loop
    for (int threads : cores == 1 ? List.of(1) : List.of(1, cores)) {
      double perSecond = measure(hasher, password, hash, threads, seconds);
      out.printf("%d thread%s: %.1f verifications/s (%.1f ms each)%n", threads, threads == 1 ? " " : "s",
        perSecond, 1000.0 * threads / perSecond);
    }
    return 0;
  }

  private static double measure(Argon2Hasher hasher, byte[] password, String hash, int threads, int seconds)
    throws InterruptedException {
    LongAdder done = new LongAdder();
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread worker = new Thread(() -> {
        while (System.nanoTime() < deadline) {
          if (!hasher.verify(password, hash)) {
            throw new IllegalStateException("verification failed");
          }
          done.increment();
        }
      });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    return done.sum() / (double) seconds;
  }
}
