package io.tokengate.http;

import io.tokengate.config.Config;
import io.tokengate.tls.ForwardedNodes;
import io.tokengate.tls.TrustedProxies;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The address a request really comes from. The peer's address, unless the peer is a trusted proxy: then the hops of
 * the one configured header ({@code http.client_address_header}) are walked from the right (the hop nearest to us)
 * past every trusted proxy, and the first address that is not one is the client. A hop that is not an IP address
 * ends the walk at the last address known. From an untrusted peer the headers are ignored — anyone can write them —
 * and so is the header that is not configured: a proxy that appends to X-Forwarded-For passes a client's own
 * Forwarded through untouched.
 */
final class ClientAddresses {

  private final TrustedProxies proxies;
  private final Config.ClientAddressHeader header;

  ClientAddresses(TrustedProxies proxies, Config.ClientAddressHeader header) {
    this.proxies = proxies;
    this.header = header;
  }

  String of(HttpServerRequest request) {
    SocketAddress peer = request.connection().remoteAddress();
    String address = peer == null ? "unknown" : peer.hostAddress();
    if (peer == null || header == Config.ClientAddressHeader.NONE || !proxies.trusts(address)) {
      return address;
    }
    return walk(address, hops(request));
  }

  /** @return the nearest hop that is not a trusted proxy; the last trusted address when a hop is not an address */
  String walk(String peer, List<Optional<String>> hops) {
    String nearest = peer;
    for (int i = hops.size() - 1; i >= 0; i--) {
      Optional<String> hop = hops.get(i);
      if (hop.isEmpty()) {
        return nearest;
      }
      nearest = hop.get();
      if (!proxies.trusts(nearest)) {
        return nearest;
      }
    }
    return nearest;
  }

  /** Every line of the configured header, in order: nearest hop last. */
  private List<Optional<String>> hops(HttpServerRequest request) {
    List<Optional<String>> hops = new ArrayList<>();
    if (header == Config.ClientAddressHeader.FORWARDED) {
      request.headers().getAll("Forwarded").forEach(line -> hops.addAll(ForwardedNodes.forwarded(line)));
    } else {
      request.headers().getAll("X-Forwarded-For").forEach(line -> hops.addAll(ForwardedNodes.xForwardedFor(line)));
    }
    return hops;
  }
}
