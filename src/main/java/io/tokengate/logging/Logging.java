package io.tokengate.logging;

import io.tokengate.config.Config;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Logging through java.util.logging: one line per record on standard error, as text or as JSON, written by a
 * background thread ({@link AsyncConsoleHandler}) so that no event loop waits for standard error.
 */
public final class Logging {

  private static volatile AsyncConsoleHandler handler;
  // Held here because the LogManager holds loggers weakly: a logger collected takes the level set on it along.
  // Assigned in configure(), not at class initialisation, which would choose the LogManager too early.
  private static Logger netty;
  private static Logger meterRegistry;
  private static final Map<String, Logger> configured = new HashMap<>();

  private Logging() {
  }

  /** Must run before anything logs: it chooses the LogManager. */
  public static void configure() {
    System.setProperty("java.util.logging.manager", KeepDuringShutdown.class.getName());
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL%1$tz %4$s %3$s %5$s%6$s%n");
    LogManager manager = LogManager.getLogManager();
    manager.reset();
    AsyncConsoleHandler console = new AsyncConsoleHandler();
    console.setFormatter(AuditLines.text());
    console.setLevel(Level.ALL);
    handler = console;
    Logger root = Logger.getLogger("");
    root.addHandler(console);
    root.setLevel(Level.INFO);
    // Netty logs its own start-up details at INFO; they are noise in a service's log.
    netty = Logger.getLogger("io.netty");
    netty.setLevel(Level.WARNING);
    // Vert.x registers a gauge per server instance and per pool connection under one id, backed by one shared
    // counter; Micrometer warns about each repeat registration, which is harmless here.
    meterRegistry = Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");
    meterRegistry.setLevel(Level.SEVERE);
    if (manager instanceof KeepDuringShutdown keep) {
      keep.keepHandlers();
    }
    // What is still queued when the JVM exits (a command's last lines before System.exit) is written first.
    Runtime.getRuntime().addShutdownHook(new Thread(console::flush, "tokengate-log-flush"));
  }

  /** Writes out the lines logged so far (waiting at most 2 s); the last step of a graceful shutdown. */
  public static void flush() {
    AsyncConsoleHandler console = handler;
    if (console != null) {
      console.flush();
    }
  }

  /** {@code logging.format}: "text" (the default) or "json"; applied once the configuration is loaded. */
  public static void useFormat(String format) {
    AsyncConsoleHandler console = handler;
    if (console != null) {
      console.setFormatter("json".equals(format) ? new JsonLineFormatter() : AuditLines.text());
    }
  }

  /**
   * The configured format and levels: {@code logging.level} on the root logger, then {@code logging.levels} per
   * logger. Audit lines stay at INFO unless a per-logger level says otherwise: quieting the service's own chatter
   * must not silence the audit trail.
   */
  public static synchronized void apply(Config.Logs logs) {
    useFormat(logs.format());
    Logger.getLogger("").setLevel(level(logs.level()));
    Map<String, String> levels = new LinkedHashMap<>();
    levels.put(AuditLines.LOGGER, "info");
    levels.putAll(logs.levels());
    levels.forEach((name, level) -> {
      Logger logger = Logger.getLogger(name);
      logger.setLevel(level(level));
      configured.put(name, logger);
    });
  }

  /** The JDK level of a level name operators know. */
  static Level level(String name) {
    return switch (name) {
      case "error" -> Level.SEVERE;
      case "warn" -> Level.WARNING;
      case "info" -> Level.INFO;
      case "debug" -> Level.FINE;
      case "trace" -> Level.FINEST;
      default -> throw new IllegalArgumentException("unknown log level " + name);
    };
  }

  /**
   * The JDK's LogManager removes every handler when shutdown begins, so the lines a graceful shutdown writes
   * ("draining", "stopped") would be lost. This one ignores resets once the JVM is shutting down; the shutdown
   * path then calls {@link Logging#flush()} after its last line.
   */
  public static final class KeepDuringShutdown extends LogManager {
    private volatile boolean keep;

    void keepHandlers() {
      keep = true;
    }

    @Override
    public void reset() {
      if (!keep) {
        super.reset();
      }
    }
  }
}
