package io.tokengate.client;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Client records kept for a short time, so that a busy client costs one lookup per TTL rather than one per
 * request. Unknown ids are not cached (their number is unbounded), and a change made through the CLI reaches
 * every replica within one TTL.
 */
public final class ClientCache {

  private record Entry(Client client, long expiresAtNanos) {
  }

  private final ClientRecords store;
  private final long ttlNanos;
  private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

  public ClientCache(ClientRecords store, Duration ttl) {
    this.store = store;
    this.ttlNanos = ttl.toNanos();
  }

  public Future<Optional<Client>> find(String clientId) {
    long now = System.nanoTime();
    Entry entry = entries.get(clientId);
    if (entry != null && now - entry.expiresAtNanos < 0) {
      return Future.succeededFuture(Optional.of(entry.client));
    }
    return store.findById(clientId).onSuccess(found -> {
      if (found.isPresent() && ttlNanos > 0) {
        entries.put(clientId, new Entry(found.get(), now + ttlNanos));
      } else {
        entries.remove(clientId);
      }
    });
  }
}
