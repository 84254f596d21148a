package io.tokengate.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustedProxiesTest {

  @Test
  void blankConfigurationTrustsNobody() {
    for (String blank : new String[] {null, "", "   "}) {
      TrustedProxies proxies = TrustedProxies.parse(blank);
      assertFalse(proxies.trusts("127.0.0.1"));
      assertFalse(proxies.trusts("::1"));
    }
  }

  @Test
  void singleIpv4AddressTrustsOnlyItself() {
    TrustedProxies proxies = TrustedProxies.parse("192.0.2.10");
    assertTrue(proxies.trusts("192.0.2.10"));
    assertFalse(proxies.trusts("192.0.2.11"));
  }

  @Test
  void ipv4BlockTrustsEveryAddressInsideIt() {
    TrustedProxies proxies = TrustedProxies.parse("10.0.0.0/8, 172.16.0.0/12, 192.168.1.128/25");
    assertTrue(proxies.trusts("10.255.3.4"));
    assertTrue(proxies.trusts("172.31.255.255"));
    assertFalse(proxies.trusts("172.32.0.0"));
    assertTrue(proxies.trusts("192.168.1.128"));
    assertTrue(proxies.trusts("192.168.1.255"));
    assertFalse(proxies.trusts("192.168.1.127"));
    assertFalse(proxies.trusts("11.0.0.1"));
  }

  @Test
  void ipv6AddressesAndBlocksMatchWhateverTheirSpelling() {
    TrustedProxies proxies = TrustedProxies.parse("::1, fd00::/8, 2001:db8:0:0:0:0:0:42");
    assertTrue(proxies.trusts("0:0:0:0:0:0:0:1"));
    assertTrue(proxies.trusts("::1"));
    assertTrue(proxies.trusts("fd12:3456::9"));
    assertTrue(proxies.trusts("FD00::"));
    assertFalse(proxies.trusts("fe80::1"));
    assertTrue(proxies.trusts("2001:db8::42"));
    assertFalse(proxies.trusts("2001:db8::43"));
  }

  @Test
  void zoneOfALinkLocalPeerIsIgnored() {
    TrustedProxies proxies = TrustedProxies.parse("fe80::/10");
    assertTrue(proxies.trusts("fe80:0:0:0:1c2a:3ff:fe4b:5c6d%eth0"));
    assertTrue(proxies.trusts("fe80::1%1"));
  }

  @Test
  void ipv4MappedPeerMatchesIpv4Entries() {
    TrustedProxies proxies = TrustedProxies.parse("10.0.0.0/8, 127.0.0.1");
    assertTrue(proxies.trusts("::ffff:10.1.2.3"));
    assertTrue(proxies.trusts("0:0:0:0:0:ffff:7f00:1"));
    assertFalse(proxies.trusts("::ffff:11.1.2.3"));
  }

  @Test
  void ipv4MappedEntryMatchesIpv4Peers() {
    TrustedProxies proxies = TrustedProxies.parse("::ffff:10.0.0.0/104");
    assertTrue(proxies.trusts("10.9.8.7"));
    assertTrue(proxies.trusts("::ffff:10.9.8.7"));
    assertFalse(proxies.trusts("11.0.0.0"));
  }

  @Test
  void ipv4EntriesDoNotMatchIpv6PeersAndTheOtherWayRound() {
    assertFalse(TrustedProxies.parse("0.0.0.0/0").trusts("::1"));
    assertFalse(TrustedProxies.parse("::/0").trusts("127.0.0.1"));
    assertTrue(TrustedProxies.parse("0.0.0.0/0").trusts("203.0.113.9"));
    assertTrue(TrustedProxies.parse("::/0").trusts("2001:db8::1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "proxy.internal", "", "not an address", "[::1]", "10.0.0.1 ", "1.2.3", "%eth0"})
  void peerThatIsNoAddressLiteralIsNotTrusted(String peer) {
    assertFalse(TrustedProxies.parse("0.0.0.0/0, ::/0").trusts(peer));
  }

  @Test
  void nullPeerIsNotTrusted() {
    assertFalse(TrustedProxies.parse("0.0.0.0/0").trusts(null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "proxy.example.com", "10.0.0", "10.0.0.256", "10.0.0.01", "1.2.3.4.5",
    "::1::2", ":::", "1:2:3:4:5:6:7:8:9", "12345::", "fe80::1%eth0", "[::1]", "10.0.0.0/", "10.0.0.0/33",
    "::/129", "10.0.0.0/-1", "10.0.0.0/8/8", "10.0.0.0/ 8", "10.0.0.0/eight", "10.0.0.0/0008", "*"})
  void entryThatIsNoLiteralAddressOrBlockIsRefusedByName(String entry) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
      () -> TrustedProxies.parse("127.0.0.1, " + entry));
    assertTrue(e.getMessage().contains("'" + entry + "'"), e.getMessage());
  }

  @Test
  void blockWithBitsPastItsPrefixIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.1.0.0/8"));
    assertEquals("trusted proxies: '10.1.0.0/8' has bits set past its /8 prefix", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("fd00::1/8"));
  }

  @Test
  void strayCommaIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.1,"));
    assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.1,,10.0.0.2"));
  }
}
