package io.tokengate.config;

import io.tokengate.oauth.OwnedClaims;
import io.tokengate.crypto.SealingKey;
import io.tokengate.tls.TrustedProxies;
import io.tokengate.user.Argon2Hasher;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns the checked settings into a typed {@link Config}. Types and ranges were checked against the schema; what is
 * left are rules between keys and formats beyond a type, each failing with one clear line.
 */
final class ConfigParser {

  private static final Pattern LOGGER_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$.-]*");

  private final Settings settings;

  ConfigParser(Settings settings) {
    this.settings = settings;
  }

  Config parse() {
    return new Config(
      issuer(),
      new Config.Http(
        string("http.host"),
        settings.integer("http.port"),
        settings.integer("http.event_loops"),
        settings.integer("http.body_limit"),
        settings.duration("http.shutdown_delay"),
        settings.duration("http.shutdown_grace"),
        tls(),
        trustedProxies(),
        Config.ClientAddressHeader.NAMES.get(string("http.client_address_header")),
        settings.duration("http.request_timeout")),
      new Config.Management(
        string("management.host"),
        settings.integer("management.port")),
      new Config.Database(
        DatabaseUrl.parse(string("database.url"), settings.source("database.url")),
        settings.integer("database.pool_size"),
        settings.integer("database.max_wait_queue"),
        settings.duration("database.connect_timeout"),
        settings.duration("database.acquire_timeout"),
        settings.duration("database.statement_timeout"),
        string("database.pooler_mode").equals("transaction"),
        settings.bool("database.migrate_on_start")),
      hashing(),
      tokens(),
      new Config.Clients(
        settings.duration("clients.cache_ttl"),
        aesKey("clients.secret_encryption_key"),
        settings.optional("clients.tls_ca_file").map(Path::of),
        settings.duration("clients.assertion_max_lifetime"),
        settings.duration("clients.clock_skew"),
        new Config.JwksUri(
          settings.duration("clients.jwks_uri.timeout"),
          settings.integer("clients.jwks_uri.max_bytes"),
          settings.duration("clients.jwks_uri.cache_ttl"),
          settings.duration("clients.jwks_uri.refetch_interval"))),
      new Config.Maintenance(
        settings.duration("maintenance.purge_interval"),
        settings.integer("maintenance.purge_batch_size")),
      new Config.Limits(
        settings.integer("limits.username_max_length"),
        settings.integer("limits.password_max_length")),
      new Config.Dpop(
        settings.duration("dpop.proof_lifetime"),
        settings.duration("dpop.clock_skew")),
      lockout(),
      new Config.Totp(aesKey("totp.encryption_key"), string("totp.issuer")),
      new Config.RateLimits(
        settings.integer("rate_limits.per_address"),
        settings.integer("rate_limits.per_address_burst"),
        settings.integer("rate_limits.per_client")),
      new Config.Secrets(sealingKeys()),
      logs(),
      passwordGrant(),
      new Config.Users(aesKey("users.username_key")),
      new Config.Claims(claims("claims.access_token"), claims("claims.id_token")),
      new Config.Oidc(aesKey("oidc.pairwise_key")));
  }

  /** A claim mapping section; a claim tokengate owns, or a malformed name, is one clear line. */
  private Map<String, String> claims(String section) {
    Map<String, String> claims = new LinkedHashMap<>();
    for (String claim : settings.entries(section)) {
      String key = section + "." + claim;
      String attribute = string(key).strip();
      try {
        OwnedClaims.requireMappable(claim, attribute);
      } catch (IllegalArgumentException e) {
        throw invalid(key, e.getMessage());
      }
      claims.put(claim, attribute);
    }
    return claims;
  }

  /** A day's distinct users are counted when the day closes, a day after it ends: retention covers at least that. */
  private Config.PasswordGrant passwordGrant() {
    return new Config.PasswordGrant(
      sunsetLink(),
      settings.duration("password_grant.usage_retention"),
      settings.duration("password_grant.usage_flush_interval"));
  }

  /** An absolute http(s) URL, which goes into a Link header between angle brackets (RFC 8288 §3). */
  private Optional<URI> sunsetLink() {
    Optional<String> value = settings.optional("password_grant.sunset_link");
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(value.get());
      if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null) {
        return Optional.of(uri);
      }
    } catch (URISyntaxException e) {
      // Said below.
    }
    throw invalid("password_grant.sunset_link", "must be an absolute http(s) URL");
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
      settings.integer("hashing.threads"),
      settings.integer("hashing.queue_size"),
      settings.integer("hashing.argon2.memory_kib"),
      settings.integer("hashing.argon2.iterations"),
      settings.integer("hashing.argon2.parallelism"),
      string("hashing.implementation"));
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
      settings.integer("lockout.threshold"),
      settings.duration("lockout.base_delay"),
      settings.duration("lockout.max_delay"),
      settings.duration("lockout.reset_after"));
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
    String value = String.join(",", settings.list("http.trusted_proxies"));
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

  /** {@code secrets.sealing_keys}: {@code id:base64-key} items, ids unique; never quoted in an error. */
  private List<SealingKey> sealingKeys() {
    List<SealingKey> keys = new ArrayList<>();
    int position = 0;
    for (String item : settings.list("secrets.sealing_keys")) {
      position++;
      int colon = item.indexOf(':');
      String id = colon < 0 ? "" : item.substring(0, colon).strip();
      if (!SealingKey.ID.matcher(id).matches()) {
        throw invalid("secrets.sealing_keys", "item " + position + " must be id:base64-key with an id of "
          + SealingKey.ID.pattern());
      }
      byte[] key;
      try {
        key = Base64.getDecoder().decode(item.substring(colon + 1).strip());
      } catch (IllegalArgumentException e) {
        throw invalid("secrets.sealing_keys", "key '" + id + "' is not base64");
      }
      if (key.length != 32) {
        throw invalid("secrets.sealing_keys", "key '" + id + "' must be 32 bytes (openssl rand -base64 32)");
      }
      if (keys.stream().anyMatch(existing -> existing.id().equals(id))) {
        throw invalid("secrets.sealing_keys", "key id '" + id + "' is given twice");
      }
      keys.add(new SealingKey(id, key));
    }
    return List.copyOf(keys);
  }

  /** {@code logging.level} and the per-logger {@code logging.levels} ("io.netty=warn,io.tokengate.audit=info"). */
  private Config.Logs logs() {
    Map<String, String> levels = new LinkedHashMap<>();
    for (String entry : Settings.splitList(settings.string("logging.levels"))) {
      int equals = entry.indexOf('=');
      String logger = equals < 0 ? "" : entry.substring(0, equals).strip();
      String level = equals < 0 ? "" : entry.substring(equals + 1).strip();
      if (!LOGGER_NAME.matcher(logger).matches() || !ConfigKeys.LOG_LEVELS.contains(level)) {
        throw invalid("logging.levels", "'" + entry + "' is not logger=level with a level of "
          + String.join(", ", ConfigKeys.LOG_LEVELS));
      }
      if (levels.put(logger, level) != null) {
        throw invalid("logging.levels", "names " + logger + " twice");
      }
    }
    return new Config.Logs(string("logging.format"), string("logging.level"), Map.copyOf(levels));
  }

  private Config.Tokens tokens() {
    Config.Tokens tokens = new Config.Tokens(
        string("tokens.signing_algorithm"),
        settings.optional("tokens.jwks_file").map(Path::of),
        settings.optional("tokens.audience").orElse(""),
        settings.duration("tokens.access_token_lifetime"),
        settings.duration("tokens.refresh_token_lifetime"),
        settings.duration("tokens.refresh_token_idle_timeout"),
        settings.duration("tokens.refresh_token_reuse_grace"),
        settings.duration("tokens.jwks_reload_interval"),
        settings.duration("tokens.keys_reload_interval"),
        settings.duration("tokens.key_publication_delay"),
        settings.size("tokens.max_size"));
    // A replica that has not read the database yet does not publish the next key: it must have read it before any
    // replica signs with it.
    if (!tokens.keyPublicationDelay().isZero()
      && tokens.keyPublicationDelay().compareTo(tokens.keysReloadInterval()) <= 0) {
      throw invalid("tokens.key_publication_delay", "must be 0s or longer than tokens.keys_reload_interval ("
        + Durations.format(tokens.keysReloadInterval()) + "), so that every replica publishes the next key before any "
        + "signs with it");
    }
    return tokens;
  }

  private ConfigException invalid(String key, String problem) {
    String source = settings.source(key);
    String where = source.equals(key) ? key : key + " (" + source + ")";
    return new ConfigException("invalid configuration: " + where + " " + problem);
  }
}
