package io.tokengate.cli;

import io.tokengate.Gateway;
import io.tokengate.config.Config;
import io.tokengate.logging.Logging;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

@Command(name = "serve", description = "Run the token endpoint (the default command).")
public final class ServeCommand implements Callable<Integer> {

  private static final System.Logger LOG = System.getLogger(ServeCommand.class.getName());

  @Spec
  CommandSpec spec;

  @Option(names = "--demo", description = "Create the database if missing and print a demo client and user.")
  boolean demo;

  @Override
  public Integer call() throws InterruptedException {
    return serve(ConfigOption.of(spec).load(), demo);
  }

  Integer serve(Config loaded, boolean demo) throws InterruptedException {
    if (demo) {
      Demo.createDatabase(loaded);
    }
    Gateway gateway = Gateway.start(loaded, Clock.systemUTC()).await();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(gateway, loaded, stopped), "tokengate-shutdown"));
    if (demo) {
      Demo.seed(loaded, gateway.ports().publicPort());
    }
    stopped.await();
    return 0;
  }

  private static void stop(Gateway gateway, Config config, CountDownLatch stopped) {
    LOG.log(System.Logger.Level.INFO, "stopping: draining in-flight requests");
    try {
      gateway.stop().await(config.http().shutdownDelay().toMillis() + config.http().shutdownGrace().toMillis() + 5000,
        TimeUnit.MILLISECONDS);
      LOG.log(System.Logger.Level.INFO, "stopped");
    } catch (TimeoutException e) {
      LOG.log(System.Logger.Level.WARNING, "shutdown did not finish within the grace period");
    } finally {
      Logging.flush(); // the JVM halts once this hook returns, and the log writer is a daemon thread
      stopped.countDown();
    }
  }
}
