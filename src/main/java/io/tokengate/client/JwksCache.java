package io.tokengate.client;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state of at most {@code maxEntries} {@code jwks_uri}s; adding one more drops the least recently used. Every
 * event loop uses it, and each operation holds the lock only for a map lookup.
 */
final class JwksCache {

  private final Map<URI, CachedJwks> entries;

  JwksCache(int maxEntries) {
    // Access order: a get moves the entry to the young end, so the eldest is the least recently used.
    this.entries = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<URI, CachedJwks> eldest) {
        return size() > maxEntries;
      }
    });
  }

  /** @return the entry, or null */
  CachedJwks get(URI uri) {
    return entries.get(uri);
  }

  void put(URI uri, CachedJwks entry) {
    entries.put(uri, entry);
  }
}
