package io.tokengate.tls;

import java.util.Optional;

/**
 * Reads the literal forms of IPv4 (dotted decimal) and IPv6 (RFC 4291 §2.2) addresses into their bytes, and
 * nothing else: unlike {@code InetAddress.getByName} it can never turn a host name into a DNS lookup.
 */
final class IpAddressLiteral {

  private static final int IPV6_GROUPS = 8;

  private IpAddressLiteral() {
  }

  /** @return 4 bytes for an IPv4 literal, 16 for an IPv6 literal (without a zone id); empty for anything else */
  static Optional<byte[]> parse(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text));
  }

  /** @return the IPv4 address inside an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}), else the address as is */
  static byte[] unmapped(byte[] address) {
    if (!isIpv4Mapped(address)) {
      return address;
    }
    return new byte[] {address[12], address[13], address[14], address[15]};
  }

  static boolean isIpv4Mapped(byte[] address) {
    if (address.length != 16 || address[10] != (byte) 0xff || address[11] != (byte) 0xff) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (address[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static byte[] ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] address = new byte[4];
    for (int i = 0; i < 4; i++) {
      int octet = octet(parts[i]);
      if (octet < 0) {
        return null;
      }
      address[i] = (byte) octet;
    }
    return address;
  }

  /** Plain decimal 0-255; a leading zero is refused because some parsers read it as octal. */
  private static int octet(String part) {
    if (part.isEmpty() || part.length() > 3 || part.length() > 1 && part.charAt(0) == '0') {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value <= 255 ? value : -1;
  }

  private static byte[] ipv6(String text) {
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    String head = gap < 0 ? text : text.substring(0, gap);
    String tail = gap < 0 ? "" : text.substring(gap + 2);
    int[] headGroups = groups(head, gap < 0);
    int[] tailGroups = groups(tail, true);
    if (headGroups == null || tailGroups == null) {
      return null;
    }
    int explicit = headGroups.length + tailGroups.length;
    // "::" stands for at least one group of zeros (RFC 4291 §2.2).
    if (gap < 0 ? explicit != IPV6_GROUPS : explicit >= IPV6_GROUPS) {
      return null;
    }
    byte[] address = new byte[16];
    put(address, 0, headGroups);
    put(address, IPV6_GROUPS - tailGroups.length, tailGroups);
    return address;
  }

  /** The 16-bit groups of one side of "::"; the last group of the address may be a dotted IPv4 address. */
  private static int[] groups(String side, boolean mayEndInIpv4) {
    if (side.isEmpty()) {
      return new int[0];
    }
    String[] parts = side.split(":", -1);
    String last = parts[parts.length - 1];
    boolean endsInIpv4 = last.indexOf('.') >= 0;
    if (endsInIpv4 && !mayEndInIpv4) {
      return null;
    }
    int[] groups = new int[parts.length + (endsInIpv4 ? 1 : 0)];
    for (int i = 0; i < parts.length - (endsInIpv4 ? 1 : 0); i++) {
      groups[i] = hexGroup(parts[i]);
      if (groups[i] < 0) {
        return null;
      }
    }
    if (endsInIpv4) {
      byte[] ipv4 = ipv4(last);
      if (ipv4 == null) {
        return null;
      }
      groups[groups.length - 2] = (ipv4[0] & 0xff) << 8 | ipv4[1] & 0xff;
      groups[groups.length - 1] = (ipv4[2] & 0xff) << 8 | ipv4[3] & 0xff;
    }
    return groups;
  }

  private static int hexGroup(String part) {
    if (part.isEmpty() || part.length() > 4) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < part.length(); i++) {
      int digit = hexDigit(part.charAt(i));
      if (digit < 0) {
        return -1;
      }
      value = value << 4 | digit;
    }
    return value;
  }

  // Character.digit would also accept non-ASCII digits such as the full-width ones.
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static void put(byte[] address, int firstGroup, int[] groups) {
    for (int i = 0; i < groups.length; i++) {
      address[2 * (firstGroup + i)] = (byte) (groups[i] >> 8);
      address[2 * (firstGroup + i) + 1] = (byte) groups[i];
    }
  }
}
