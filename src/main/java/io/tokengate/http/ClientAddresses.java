package io.tokengate.http;

import io.tokengate.tls.TrustedProxies;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

import java.util.List;
import java.util.Locale;

/**
 * The address a request really comes from. The peer's address, unless the peer is a trusted proxy: then the
 * forwarding headers are walked from the right (the hop nearest to us) past every trusted proxy, and the first
 * address that is not one is the client. From an untrusted peer those headers are ignored — anyone can write them.
 */
final class ClientAddresses {

  private final TrustedProxies proxies;

  ClientAddresses(TrustedProxies proxies) {
    this.proxies = proxies;
  }

  String of(HttpServerRequest request) {
    SocketAddress peer = request.connection().remoteAddress();
    String address = peer == null ? "unknown" : peer.hostAddress();
    if (peer == null || !proxies.trusts(address)) {
      return address;
    }
    List<String> hops = forwardedFor(request);
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = hops.get(i);
      if (!proxies.trusts(hop)) {
        return hop;
      }
    }
    return hops.isEmpty() ? address : hops.get(0);
  }

  /** RFC 7239 {@code Forwarded: for=...} when present, else {@code X-Forwarded-For}; in order, nearest hop last. */
  private static List<String> forwardedFor(HttpServerRequest request) {
    List<String> forwarded = request.headers().getAll("Forwarded");
    if (!forwarded.isEmpty()) {
      return forwarded.stream()
        .flatMap(header -> List.of(header.split(",")).stream())
        .flatMap(element -> List.of(element.split(";")).stream())
        .map(String::strip)
        .filter(pair -> pair.toLowerCase(Locale.ROOT).startsWith("for="))
        .map(pair -> unquote(pair.substring(4)))
        .toList();
    }
    return request.headers().getAll("X-Forwarded-For").stream()
      .flatMap(header -> List.of(header.split(",")).stream())
      .map(String::strip)
      .filter(hop -> !hop.isEmpty())
      .toList();
  }

  /** {@code "[2001:db8::1]:4711"} → {@code 2001:db8::1}; {@code 192.0.2.1:80} → {@code 192.0.2.1}. */
  private static String unquote(String value) {
    String node = value.startsWith("\"") && value.endsWith("\"") && value.length() > 1
      ? value.substring(1, value.length() - 1) : value;
    if (node.startsWith("[")) {
      int close = node.indexOf(']');
      return close > 0 ? node.substring(1, close) : node;
    }
    int colon = node.indexOf(':');
    return colon > 0 && node.indexOf(':', colon + 1) < 0 ? node.substring(0, colon) : node;
  }
}
