package io.tokengate.tls;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RFC 7239 §4 and §6 examples, and what must never become an address. */
class ForwardedNodesTest {

  private static final Optional<String> NOT_AN_ADDRESS = Optional.empty();

  @Test
  void rfc7239ExamplesGiveTheirAddresses() {
    assertEquals(List.of(Optional.of("192.0.2.60")),
      ForwardedNodes.forwarded("for=192.0.2.60;proto=http;by=203.0.113.43"));
    assertEquals(List.of(Optional.of("2001:db8:cafe:0:0:0:0:17")),
      ForwardedNodes.forwarded("For=\"[2001:db8:cafe::17]:4711\""));
    assertEquals(List.of(Optional.of("192.0.2.43"), Optional.of("198.51.100.17")),
      ForwardedNodes.forwarded("for=192.0.2.43, for=198.51.100.17"));
    assertEquals(List.of(Optional.of("192.0.2.43"), Optional.of("198.51.100.17")),
      ForwardedNodes.forwarded("for=\"192.0.2.43:47011\" ,for=\"198.51.100.17:_x1\""));
  }

  @Test
  void unknownObfuscatedMissingOrAmbiguousNodesAreNotAddresses() {
    assertEquals(List.of(NOT_AN_ADDRESS, Optional.of("10.0.0.1")), ForwardedNodes.forwarded("for=unknown, for=10.0.0.1"));
    assertEquals(List.of(NOT_AN_ADDRESS), ForwardedNodes.forwarded("for=_hidden"));
    assertEquals(List.of(NOT_AN_ADDRESS), ForwardedNodes.forwarded("proto=https;by=10.0.0.1"));
    assertEquals(List.of(NOT_AN_ADDRESS), ForwardedNodes.forwarded("for=192.0.2.1;for=192.0.2.2"));
    assertEquals(List.of(NOT_AN_ADDRESS), ForwardedNodes.forwarded("for=\"[2001:db8::1]:99999\""));
    assertEquals(List.of(NOT_AN_ADDRESS), ForwardedNodes.forwarded("for=\"[192.0.2.1]\""));
    assertEquals(List.of(NOT_AN_ADDRESS), ForwardedNodes.forwarded("for=example.com"));
  }

  @Test
  void aMalformedLineIsOneHopThatIsNotAnAddress() {
    assertEquals(List.of(NOT_AN_ADDRESS), ForwardedNodes.forwarded("for=\"192.0.2.1, for=10.0.0.1"));
    assertEquals(List.of(NOT_AN_ADDRESS), ForwardedNodes.forwarded("for=192.0.2.1:80"), "a port must be quoted");
    assertEquals(List.of(NOT_AN_ADDRESS), ForwardedNodes.forwarded("for"));
    assertEquals(List.of(NOT_AN_ADDRESS), ForwardedNodes.forwarded("for=1.2.3.4 x"));
  }

  @Test
  void quotedCommasAndEscapesStayInsideTheirValue() {
    assertEquals(List.of(Optional.of("192.0.2.1"), Optional.of("10.0.0.1")),
      ForwardedNodes.forwarded("for=192.0.2.1;host=\"a,b\\\"c\", for=10.0.0.1"));
  }

  @Test
  void xForwardedForHopsMayBeBareBracketedOrCarryAPort() {
    assertEquals(List.of(Optional.of("192.0.2.1"), Optional.of("0:0:0:0:0:0:0:1"), Optional.of("2001:db8:0:0:0:0:0:1"),
        Optional.of("198.51.100.7"), NOT_AN_ADDRESS, Optional.of("192.0.2.9")),
      ForwardedNodes.xForwardedFor("192.0.2.1, ::1, [2001:db8::1]:443, 198.51.100.7:8080, unknown, ::ffff:192.0.2.9"));
  }
}
