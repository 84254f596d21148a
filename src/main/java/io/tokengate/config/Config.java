package io.tokengate.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The whole configuration, typed and validated once by {@link ConfigLoader}. */
public record Config(
  URI issuer,
  Http http,
  Management management,
  Database database,
  Hashing hashing,
  Tokens tokens,
  Clients clients,
  Maintenance maintenance,
  Limits limits) {

  /** {@code port} 0 means any free port (tests). */
  public record Http(String host, int port, int eventLoops, int bodyLimit, Duration shutdownGrace) {
  }

  public record Management(String host, int port) {
  }

  public record Database(
    DatabaseUrl url,
    int poolSize,
    int maxWaitQueue,
    Duration connectTimeout,
    Duration acquireTimeout,
    Duration statementTimeout,
    boolean migrateOnStart) {
  }

  public record Hashing(int threads, int queueSize, int argon2MemoryKib, int argon2Iterations, int argon2Parallelism) {
  }

  /** A zero idle timeout or reuse grace means none. */
  public record Tokens(String signingAlgorithm, Optional<Path> jwksFile, String audience, Duration accessTokenLifetime,
                       Duration refreshTokenLifetime, Duration refreshTokenIdleTimeout, Duration refreshTokenReuseGrace) {
  }

  public record Clients(Duration cacheTtl) {
  }

  public record Maintenance(Duration purgeInterval, int purgeBatchSize) {
  }

  public record Limits(int usernameMaxLength, int passwordMaxLength) {
  }

  /** The URL of an endpoint of this server, as clients reach it. */
  public String endpointUrl(String path) {
    return issuer.toString() + path;
  }
}
