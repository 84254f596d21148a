package io.tokengate.config;

import io.tokengate.tls.TrustedProxies;
import io.tokengate.user.Argon2Hasher;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/** Turns the raw settings into a typed {@link Config}, with one clear message for the first bad value. */
final class ConfigParser {

  private static final Set<String> SIGNING_ALGORITHMS = Set.of("ES256", "EdDSA", "RS256", "PS256");

  private final ConfigLoader.Settings settings;

  ConfigParser(ConfigLoader.Settings settings) {
    this.settings = settings;
  }

  Config parse() {
    return new Config(
      issuer(),
      new Config.Http(
        string("http.host"),
        integer("http.port", 0, 65535),
        integer("http.event_loops", 0, 1024),
        integer("http.body_limit", 1024, 16 * 1024 * 1024),
        duration("http.shutdown_delay", Duration.ZERO, Duration.ofMinutes(5)),
        duration("http.shutdown_grace", Duration.ZERO, Duration.ofMinutes(10)),
        tls(),
        trustedProxies(),
        Config.ClientAddressHeader.NAMES.get(oneOf("http.client_address_header",
          Config.ClientAddressHeader.NAMES.keySet())),
        duration("http.request_timeout", Duration.ofSeconds(1), Duration.ofMinutes(10))),
      new Config.Management(
        string("management.host"),
        integer("management.port", 0, 65535)),
      new Config.Database(
        DatabaseUrl.parse(string("database.url"), settings.source("database.url")),
        integer("database.pool_size", 1, 1000),
        integer("database.max_wait_queue", 0, 1_000_000),
        duration("database.connect_timeout", Duration.ofMillis(1), Duration.ofMinutes(5)),
        duration("database.acquire_timeout", Duration.ofMillis(1), Duration.ofMinutes(5)),
        duration("database.statement_timeout", Duration.ofMillis(1), Duration.ofHours(1)),
        bool("database.migrate_on_start")),
      hashing(),
      new Config.Tokens(
        oneOf("tokens.signing_algorithm", SIGNING_ALGORITHMS),
        settings.optional("tokens.jwks_file").map(Path::of),
        settings.optional("tokens.audience").orElse(""),
        duration("tokens.access_token_lifetime", Duration.ofMinutes(1), Duration.ofHours(24)),
        duration("tokens.refresh_token_lifetime", Duration.ofMinutes(1), Duration.ofDays(3650)),
        duration("tokens.refresh_token_idle_timeout", Duration.ZERO, Duration.ofDays(3650)),
        duration("tokens.refresh_token_reuse_grace", Duration.ZERO, Duration.ofMinutes(1)),
        duration("tokens.jwks_reload_interval", Duration.ZERO, Duration.ofHours(1))),
      new Config.Clients(
        duration("clients.cache_ttl", Duration.ZERO, Duration.ofMinutes(10)),
        aesKey("clients.secret_encryption_key"),
        settings.optional("clients.tls_ca_file").map(Path::of),
        duration("clients.assertion_max_lifetime", Duration.ofSeconds(10), Duration.ofHours(1)),
        duration("clients.clock_skew", Duration.ZERO, Duration.ofMinutes(5)),
        new Config.JwksUri(
          duration("clients.jwks_uri.timeout", Duration.ofMillis(100), Duration.ofMinutes(1)),
          integer("clients.jwks_uri.max_bytes", 1024, 4 * 1024 * 1024),
          duration("clients.jwks_uri.cache_ttl", Duration.ofSeconds(1), Duration.ofDays(1)),
          duration("clients.jwks_uri.refetch_interval", Duration.ZERO, Duration.ofHours(1)))),
      new Config.Maintenance(
        duration("maintenance.purge_interval", Duration.ofSeconds(1), Duration.ofDays(1)),
        integer("maintenance.purge_batch_size", 1, 100_000)),
      new Config.Limits(
        integer("limits.username_max_length", 1, 4096),
        integer("limits.password_max_length", 8, 4096)),
      new Config.Dpop(
        duration("dpop.proof_lifetime", Duration.ofSeconds(1), Duration.ofMinutes(10)),
        duration("dpop.clock_skew", Duration.ZERO, Duration.ofMinutes(5))),
      lockout(),
      new Config.Totp(aesKey("totp.encryption_key"), string("totp.issuer")),
      new Config.RateLimits(
        integer("rate_limits.per_address", 0, 1_000_000),
        integer("rate_limits.per_address_burst", 1, 1_000_000),
        integer("rate_limits.per_client", 0, 1_000_000)),
      new Config.Logs(oneOf("logging.format", Set.of("text", "json"))),
      new Config.Users(aesKey("users.username_key")));
  }

  /** HTTPS with client certificates requested, when both PEM files are named; plain HTTP when neither is. */
  private Optional<Config.Tls> tls() {
    Optional<Path> certificate = settings.optional("http.tls.certificate_file").map(Path::of);
    Optional<Path> key = settings.optional("http.tls.key_file").map(Path::of);
    if (certificate.isPresent() != key.isPresent()) {
      throw invalid(certificate.isPresent() ? "http.tls.key_file" : "http.tls.certificate_file",
        "must be set together with " + (certificate.isPresent() ? "http.tls.certificate_file" : "http.tls.key_file"));
    }
    return certificate.map(file -> new Config.Tls(file, key.get()));
  }

  /** RFC 9106 §3.1: m >= 8p KiB; t >= 1; and within what a stored hash may ask ({@link Argon2Hasher}). */
  private Config.Hashing hashing() {
    Config.Hashing hashing = new Config.Hashing(
      integer("hashing.threads", 0, 1024),
      integer("hashing.queue_size", 0, 1_000_000),
      integer("hashing.argon2.memory_kib", 8, Argon2Hasher.MAX_MEMORY_KIB),
      integer("hashing.argon2.iterations", 1, 100),
      integer("hashing.argon2.parallelism", 1, 64),
      oneOf("hashing.implementation", Set.of("auto", "native", "java")));
    if ((long) hashing.argon2MemoryKib() * hashing.argon2Iterations() > Argon2Hasher.MAX_WORK_KIB) {
      throw invalid("hashing.argon2.iterations", "times memory_kib must not exceed " + Argon2Hasher.MAX_WORK_KIB);
    }
    if (hashing.argon2MemoryKib() < 8 * hashing.argon2Parallelism()) {
      throw invalid("hashing.argon2.memory_kib", "must be at least 8 KiB per lane of parallelism");
    }
    return hashing;
  }

  /** A lock never outlasts the quiet period that forgets it, so a purged count is never a live lock. */
  private Config.Lockout lockout() {
    Config.Lockout lockout = new Config.Lockout(
      integer("lockout.threshold", 0, 1000),
      duration("lockout.base_delay", Duration.ofSeconds(1), Duration.ofDays(1)),
      duration("lockout.max_delay", Duration.ofSeconds(1), Duration.ofDays(7)),
      duration("lockout.reset_after", Duration.ofMinutes(1), Duration.ofDays(30)));
    if (lockout.maxDelay().compareTo(lockout.baseDelay()) < 0) {
      throw invalid("lockout.max_delay", "must not be shorter than lockout.base_delay");
    }
    if (lockout.resetAfter().compareTo(lockout.maxDelay()) < 0) {
      throw invalid("lockout.reset_after", "must not be shorter than lockout.max_delay");
    }
    return lockout;
  }

  /** Checked here so that a typo stops start-up like any bad value; {@link TrustedProxies} matches addresses later. */
  private String trustedProxies() {
    String value = settings.optional("http.trusted_proxies").orElse("");
    try {
      TrustedProxies.parse(value);
    } catch (IllegalArgumentException e) {
      throw invalid("http.trusted_proxies", e.getMessage());
    }
    return value;
  }

  /** 32 bytes, base64: an AES-256 key that seals secrets at rest (clients' HMAC secrets, users' TOTP secrets). */
  private Optional<byte[]> aesKey(String key) {
    Optional<String> value = settings.optional(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(value.get().strip());
    } catch (IllegalArgumentException e) {
      throw invalid(key, "is not base64");
    }
    if (decoded.length != 32) {
      throw invalid(key, "must be 32 bytes (openssl rand -base64 32)");
    }
    return Optional.of(decoded);
  }

  private URI issuer() {
    String value = string("issuer");
    String problem = null;
    URI uri = null;
    try {
      uri = new URI(value);
      if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
        problem = "must be an absolute https URL";
      } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
        problem = "must not have a query or fragment (RFC 8414 §2)";
      } else if (value.endsWith("/")) {
        problem = "must not end with '/'";
      }
    } catch (URISyntaxException e) {
      problem = "is not a URL";
    }
    if (problem != null) {
      throw invalid("issuer", problem);
    }
    return uri;
  }

  private String string(String key) {
    String value = settings.string(key);
    if (value == null || value.isBlank()) {
      throw invalid(key, "must not be empty");
    }
    return value.strip();
  }

  private int integer(String key, int min, int max) {
    String value = string(key);
    int parsed;
    try {
      parsed = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw invalid(key, "'" + value + "' is not a whole number");
    }
    if (parsed < min || parsed > max) {
      throw invalid(key, parsed + " is outside " + min + ".." + max);
    }
    return parsed;
  }

  private boolean bool(String key) {
    String value = string(key);
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(key, "'" + value + "' is neither true nor false");
    };
  }

  private Duration duration(String key, Duration min, Duration max) {
    String value = string(key);
    Duration parsed;
    try {
      parsed = Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw invalid(key, e.getMessage());
    }
    if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
      throw invalid(key, value + " is outside " + Durations.format(min) + ".." + Durations.format(max));
    }
    return parsed;
  }

  private String oneOf(String key, Set<String> allowed) {
    String value = string(key);
    if (!allowed.contains(value)) {
      throw invalid(key, "'" + value + "' is not one of " + String.join(", ", allowed.stream().sorted().toList()));
    }
    return value;
  }

  private ConfigException invalid(String key, String problem) {
    String source = settings.source(key);
    String where = source.equals(key) ? key : key + " (" + source + ")";
    return new ConfigException("invalid configuration: " + where + " " + problem);
  }
}
