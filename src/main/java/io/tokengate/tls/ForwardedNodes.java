package io.tokengate.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The hops of a forwarding header, in order (nearest hop last), each an IP address or nothing: RFC 7239
 * {@code Forwarded} (quoted strings, IPv6 in brackets, ports) and the de-facto {@code X-Forwarded-For}. A hop that is
 * not an IP address — {@code unknown}, an obfuscated identifier (RFC 7239 §6.3), a missing {@code for}, anything
 * malformed — is empty: it ends a walk through trusted proxies and is never used as a client's address.
 */
public final class ForwardedNodes {

  private ForwardedNodes() {
  }

  /**
   * One {@code Forwarded} field value (a header line): its elements' {@code for} nodes. A line that does not parse
   * (an unclosed quote, a pair without '=') is one empty hop: a proxy that appends its own element on a new line is
   * still read, and nothing a client wrote to the left of it can move the walk past it.
   */
  public static List<Optional<String>> forwarded(String fieldValue) {
    List<Optional<String>> hops = new ArrayList<>();
    Element element = new Element();
    int i = 0;
    int length = fieldValue.length();
    while (i <= length) {
      i = skipWhitespace(fieldValue, i);
      if (i == length) {
        hops.add(element.hop());
        return hops;
      }
      char c = fieldValue.charAt(i);
      if (c == ',' || c == ';') {
        if (c == ',') {
          hops.add(element.hop());
          element = new Element();
        }
        i++;
        continue;
      }
      int equals = tokenEnd(fieldValue, i);
      if (equals == i || equals >= length || fieldValue.charAt(equals) != '=') {
        return List.of(Optional.empty());
      }
      String name = fieldValue.substring(i, equals).toLowerCase(Locale.ROOT);
      StringBuilder value = new StringBuilder();
      i = equals + 1;
      if (i < length && fieldValue.charAt(i) == '"') {
        i = quotedString(fieldValue, i + 1, value);
        if (i < 0) {
          return List.of(Optional.empty());
        }
      } else {
        int end = tokenEnd(fieldValue, i);
        value.append(fieldValue, i, end);
        i = end;
      }
      element.pair(name, value.toString());
      i = skipWhitespace(fieldValue, i);
      if (i < length && fieldValue.charAt(i) != ',' && fieldValue.charAt(i) != ';') {
        return List.of(Optional.empty());
      }
    }
    return hops;
  }

  /** One {@code X-Forwarded-For} line: comma-separated nodes, each an address, perhaps bracketed, perhaps with a port. */
  public static List<Optional<String>> xForwardedFor(String fieldValue) {
    List<Optional<String>> hops = new ArrayList<>();
    for (String hop : fieldValue.split(",", -1)) {
      String node = hop.strip();
      if (!node.isEmpty()) {
        hops.add(node(node));
      }
    }
    return hops;
  }

  /**
   * RFC 7239 §6: {@code 192.0.2.43}, {@code 192.0.2.43:47011}, {@code [2001:db8::17]}, {@code [2001:db8::17]:4711};
   * a bare IPv6 literal as X-Forwarded-For writes it. The address in one canonical form (IPv4-mapped unmapped).
   */
  static Optional<String> node(String node) {
    String name;
    if (node.startsWith("[")) {
      int close = node.indexOf(']');
      if (close < 0 || !validPort(node.substring(close + 1))) {
        return Optional.empty();
      }
      name = node.substring(1, close);
      if (name.indexOf(':') < 0) {
        return Optional.empty();
      }
    } else {
      int colon = node.indexOf(':');
      boolean ipv4WithPort = colon > 0 && node.indexOf(':', colon + 1) < 0;
      if (ipv4WithPort && !validPort(node.substring(colon))) {
        return Optional.empty();
      }
      name = ipv4WithPort ? node.substring(0, colon) : node;
    }
    return IpAddressLiteral.parse(name).map(IpAddressLiteral::unmapped).map(ForwardedNodes::text);
  }

  /** Empty, or ':' and a port number (an obfuscated port, "_abc", is allowed by RFC 7239 and harmless here). */
  private static boolean validPort(String rest) {
    if (rest.isEmpty()) {
      return true;
    }
    if (rest.charAt(0) != ':' || rest.length() < 2 || rest.length() > 33) {
      return false;
    }
    String port = rest.substring(1);
    if (port.charAt(0) == '_') {
      return port.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-');
    }
    return port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9') && Integer.parseInt(port) <= 65535;
  }

  /** Bytes that came from a literal: no lookup can happen. */
  static String text(byte[] address) {
    try {
      return InetAddress.getByAddress(address).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The pairs of one element: its {@code for} node, once (a repeated {@code for} makes the hop unusable). */
  private static final class Element {
    private String node;
    private boolean ambiguous;

    void pair(String name, String value) {
      if (name.equals("for")) {
        ambiguous |= node != null;
        node = value;
      }
    }

    Optional<String> hop() {
      return node == null || ambiguous ? Optional.empty() : node(node);
    }
  }

  private static int skipWhitespace(String text, int i) {
    while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  /** RFC 9110 §5.6.2 tchar. */
  private static int tokenEnd(String text, int i) {
    while (i < text.length() && isTchar(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isTchar(char c) {
    // ':' '[' ']' are not: a node with a port or an IPv6 address must be quoted (RFC 7239 §4).
    return c < 128 && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
  }

  /** @return the index after the closing quote, or -1 when there is none (RFC 9110 §5.6.4, with quoted-pairs) */
  private static int quotedString(String text, int i, StringBuilder value) {
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\') {
        if (i + 1 >= text.length()) {
          return -1;
        }
        c = text.charAt(++i);
      }
      value.append(c);
      i++;
    }
    return -1;
  }
}
