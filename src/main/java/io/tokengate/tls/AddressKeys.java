package io.tokengate.tls;

import java.util.Arrays;
import java.util.Optional;

/** The rate-limit key of a client address: an IPv4 address as is, an IPv6 address by its /64. */
public final class AddressKeys {

  private AddressKeys() {
  }

  /**
   * @param address an address as {@code SocketAddress.hostAddress()} or {@link ForwardedNodes} give it (IPv4-mapped
   *                IPv6 is unmapped, a {@code %zone} dropped); anything else is returned unchanged
   */
  public static String rateLimitKey(String address) {
    int zone = address.indexOf('%');
    Optional<byte[]> parsed = IpAddressLiteral.parse(zone < 0 ? address : address.substring(0, zone))
      .map(IpAddressLiteral::unmapped);
    if (parsed.isEmpty()) {
      return address;
    }
    byte[] bytes = parsed.get();
    if (bytes.length == 4) {
      return ForwardedNodes.text(bytes);
    }
    byte[] network = Arrays.copyOf(Arrays.copyOf(bytes, 8), 16);
    return ForwardedNodes.text(network) + "/64";
  }
}
