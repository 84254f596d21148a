package io.tokengate.client;

import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Clients' public keys, fetched from their {@code jwks_uri} (RFC 7591 §2) to verify {@code private_key_jwt} client
 * assertions (RFC 7523), and cached. A set is fetched again when it is older than the cache TTL, or when an assertion
 * names a key it lacks (the client rotated its keys) — but at most once per refetch interval, so that assertions
 * with made-up key ids cannot make tokengate hammer the client's server. Callers that need the same URI while it is
 * being fetched share that one fetch. When a refetch fails, the last good set keeps serving.
 *
 * <p>One instance serves every event loop; each returned future completes on its caller's context.
 */
public final class RemoteJwks {

  private static final System.Logger LOG = System.getLogger(RemoteJwks.class.getName());

  /**
   * @param timeout         the longest a fetch may take, from connecting to the last byte of the body
   * @param maxBytes        the largest body accepted; a larger one is refused while it streams in
   * @param cacheTtl        how long a fetched set is used before it is fetched again
   * @param refetchInterval the shortest time between two fetches of one URI that an unknown key id or a failure asks for
   * @param maxEntries      how many URIs are cached; the least recently used goes first
   */
  public record Settings(Duration timeout, int maxBytes, Duration cacheTtl, Duration refetchInterval, int maxEntries) {

    public Settings {
      if (timeout.isNegative() || timeout.isZero() || cacheTtl.isNegative() || refetchInterval.isNegative()) {
        throw new IllegalArgumentException("the JWKS timeout must be positive, the TTL and refetch interval not negative");
      }
      if (maxBytes <= 0 || maxEntries <= 0) {
        throw new IllegalArgumentException("the JWKS size limit and the number of cached URIs must be positive");
      }
    }
  }

  /** A {@code jwks_uri} that gave no usable key set. The message names the URI and the reason, never the body. */
  public static final class FetchFailed extends RuntimeException {

    private final URI uri;
    private final String reason;

    FetchFailed(URI uri, String reason) {
      // An expected outcome with a complete message; a stack trace would only cost time under a flood of them.
      super("jwks_uri " + uri + ": " + reason, null, false, false);
      this.uri = uri;
      this.reason = reason;
    }

    public URI uri() {
      return uri;
    }

    public String reason() {
      return reason;
    }
  }

  private final Settings settings;
  private final Clock clock;
  private final JwksDownloader downloader;
  private final JwksCache cache;
  private final ConcurrentMap<URI, Future<JWKSet>> inFlight = new ConcurrentHashMap<>();

  public RemoteJwks(Vertx vertx, Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.downloader = new JwksDownloader(vertx, settings.timeout(), settings.maxBytes());
    this.cache = new JwksCache(settings.maxEntries());
  }

  /**
   * The public signing keys published at {@code uri}.
   *
   * @param kidOrNull the key id an assertion names, or null; a set without it is fetched again unless it was fetched
   *                  within the refetch interval, in which case the caller gets the cached set and fails verification
   * @return the set, possibly stale when the client's server is failing; a {@link FetchFailed} when there is none
   */
  public Future<JWKSet> keys(URI uri, String kidOrNull) {
    Context caller = Vertx.currentContext();
    Future<JWKSet> keys = lookup(uri, kidOrNull);
    if (caller == null || keys.isComplete()) {
      return keys;
    }
    Promise<JWKSet> onCaller = Promise.promise();
    keys.onComplete(done -> caller.runOnContext(ignored -> onCaller.handle(done)));
    return onCaller.future();
  }

  public Future<Void> close() {
    return downloader.close();
  }

  private Future<JWKSet> lookup(URI uri, String kid) {
    CachedJwks cached = cache.get(uri);
    if (cached != null && !cached.wantsFetch(kid, clock.instant(), settings)) {
      return cached.answer();
    }
    Promise<JWKSet> fetched = Promise.promise();
    Future<JWKSet> running = inFlight.putIfAbsent(uri, fetched.future());
    if (running != null) {
      return running;
    }
    // A fetch that ended between the first look and taking the in-flight slot has already updated the cache.
    Instant now = clock.instant();
    CachedJwks current = cache.get(uri);
    if (current != null && !current.wantsFetch(kid, now, settings)) {
      inFlight.remove(uri, fetched.future());
      fetched.handle(current.answer());
      return fetched.future();
    }
    downloader.fetch(uri)
      .map(body -> PublicSigningKeys.from(uri, body))
      .onComplete(result -> {
        CachedJwks updated = result.succeeded()
          ? CachedJwks.fetched(result.result(), now)
          : afterFailure(uri, asFetchFailed(uri, result.cause()), now);
        cache.put(uri, updated);
        inFlight.remove(uri, fetched.future());
        fetched.handle(updated.answer());
      });
    return fetched.future();
  }

  private CachedJwks afterFailure(URI uri, FetchFailed failure, Instant attemptedAt) {
    CachedJwks previous = cache.get(uri);
    CachedJwks updated = previous == null
      ? CachedJwks.failed(failure, attemptedAt)
      : previous.refetchFailed(failure, attemptedAt);
    // Once per failed fetch (failures are remembered for the refetch interval), so a flood cannot flood the log.
    LOG.log(System.Logger.Level.WARNING, failure.getMessage() + (updated.hasKeys()
      ? "; still using the keys fetched at " + updated.fetchedAt()
      : "; its client cannot authenticate with private_key_jwt until a fetch succeeds"));
    return updated;
  }

  private static FetchFailed asFetchFailed(URI uri, Throwable cause) {
    return cause instanceof FetchFailed failed ? failed : new FetchFailed(uri, "unexpected " + cause.getClass().getName());
  }
}
