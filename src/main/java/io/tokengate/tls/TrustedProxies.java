package io.tokengate.tls;

import java.util.ArrayList;
import java.util.List;

/**
 * The TLS-terminating proxies whose forwarded client certificate (RFC 9440) is believed: a list of IP addresses and
 * CIDR blocks, IPv4 or IPv6, given as literals only so that neither parsing nor matching ever waits on DNS.
 */
public final class TrustedProxies {

  private static final TrustedProxies NOBODY = new TrustedProxies(List.of(), "");

  private final List<Block> blocks;
  private final String text;

  private TrustedProxies(List<Block> blocks, String text) {
    this.blocks = blocks;
    this.text = text;
  }

  /**
   * @param commaSeparated addresses and blocks such as {@code "10.0.0.0/8, 127.0.0.1, ::1, fd00::/8"}; blank trusts
   *                       nobody
   * @throws IllegalArgumentException naming the first entry that is not an address literal or a CIDR block
   */
  public static TrustedProxies parse(String commaSeparated) {
    if (commaSeparated == null || commaSeparated.isBlank()) {
      return NOBODY;
    }
    List<Block> blocks = new ArrayList<>();
    for (String entry : commaSeparated.split(",", -1)) {
      blocks.add(Block.parse(entry.strip()));
    }
    return new TrustedProxies(List.copyOf(blocks), commaSeparated.strip());
  }

  /**
   * @param peerAddress the proxy's address as Vert.x {@code SocketAddress.hostAddress()} gives it: an IPv4 or IPv6
   *                    literal, perhaps with a {@code %zone}
   */
  public boolean trusts(String peerAddress) {
    if (peerAddress == null || blocks.isEmpty()) {
      return false;
    }
    int zone = peerAddress.indexOf('%');
    String literal = zone < 0 ? peerAddress : peerAddress.substring(0, zone);
    // A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d; they are matched against the IPv4 entries.
    return IpAddressLiteral.parse(literal)
      .map(IpAddressLiteral::unmapped)
      .map(address -> blocks.stream().anyMatch(block -> block.contains(address)))
      .orElse(false);
  }

  @Override
  public String toString() {
    return text;
  }

  /** One entry: a network and how many leading bits of an address must equal it (a single address is a /32 or /128). */
  private record Block(byte[] network, int prefixLength) {

    static Block parse(String entry) {
      if (entry.isEmpty()) {
        throw new IllegalArgumentException("trusted proxies: empty entry (a stray comma?)");
      }
      int slash = entry.indexOf('/');
      String literal = slash < 0 ? entry : entry.substring(0, slash);
      byte[] address = IpAddressLiteral.parse(literal).orElseThrow(() -> new IllegalArgumentException(
        "trusted proxies: '" + entry + "' is not an IP address or CIDR block (host names are not accepted)"));
      int bits = address.length * 8;
      int prefixLength = slash < 0 ? bits : prefixLength(entry, entry.substring(slash + 1), bits);
      Block block = IpAddressLiteral.isIpv4Mapped(address) && prefixLength >= 96
        ? new Block(IpAddressLiteral.unmapped(address), prefixLength - 96)
        : new Block(address, prefixLength);
      if (block.hasBitsPastPrefix()) {
        throw new IllegalArgumentException(
          "trusted proxies: '" + entry + "' has bits set past its /" + prefixLength + " prefix");
      }
      return block;
    }

    private static int prefixLength(String entry, String digits, int maxBits) {
      if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new IllegalArgumentException("trusted proxies: '" + entry + "' has no valid prefix length after '/'");
      }
      int length = Integer.parseInt(digits);
      if (length > maxBits) {
        throw new IllegalArgumentException(
          "trusted proxies: '" + entry + "' has a prefix length over " + maxBits);
      }
      return length;
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int wholeBytes = prefixLength / 8;
      for (int i = 0; i < wholeBytes; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int remainingBits = prefixLength % 8;
      if (remainingBits == 0) {
        return true;
      }
      int mask = 0xff << (8 - remainingBits) & 0xff;
      return (address[wholeBytes] & mask) == (network[wholeBytes] & mask);
    }

    /** "10.1.0.0/8" is more likely a typo for /16 than a way to write 10.0.0.0/8, so it is refused. */
    private boolean hasBitsPastPrefix() {
      for (int bit = prefixLength; bit < network.length * 8; bit++) {
        if ((network[bit / 8] & 0x80 >>> bit % 8) != 0) {
          return true;
        }
      }
      return false;
    }
  }
}
