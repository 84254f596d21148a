package io.tokengate.client;

import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Future;

import java.time.Instant;

/**
 * What is known about one {@code jwks_uri}: the last set fetched from it (if any), and how the last attempt went.
 *
 * @param keys        the last good set, or null if no fetch has succeeded
 * @param fetchedAt   when {@code keys} was fetched, or null
 * @param attemptedAt when the last fetch started, whatever its outcome
 * @param failure     why the last fetch failed, or null if it succeeded
 */
record CachedJwks(JWKSet keys, Instant fetchedAt, Instant attemptedAt, RemoteJwks.FetchFailed failure) {

  static CachedJwks fetched(JWKSet keys, Instant at) {
    return new CachedJwks(keys, at, at, null);
  }

  static CachedJwks failed(RemoteJwks.FetchFailed failure, Instant at) {
    return new CachedJwks(null, null, at, failure);
  }

  /** The last good set stays; the failure is remembered so that the next attempt waits for the refetch interval. */
  CachedJwks refetchFailed(RemoteJwks.FetchFailed failure, Instant at) {
    return new CachedJwks(keys, fetchedAt, at, failure);
  }

  boolean hasKeys() {
    return keys != null;
  }

  /**
   * A stale set is fetched again, unless a fetch has just failed. An unknown key id, or the lack of any set, asks
   * for a fetch only once per refetch interval.
   */
  boolean wantsFetch(String kid, Instant now, RemoteJwks.Settings settings) {
    boolean mayRefetch = !now.isBefore(attemptedAt.plus(settings.refetchInterval()));
    if (keys == null) {
      return mayRefetch;
    }
    if (!now.isBefore(fetchedAt.plus(settings.cacheTtl()))) {
      return failure == null || mayRefetch;
    }
    return kid != null && keys.getKeyByKeyId(kid) == null && mayRefetch;
  }

  /** The set, stale or not; or the failure when there has never been one. */
  Future<JWKSet> answer() {
    return keys != null ? Future.succeededFuture(keys) : Future.failedFuture(failure);
  }
}
