package io.tokengate.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpAddressLiteralTest {

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "255.255.255.255", "192.0.2.1", "::", "::1", "1::", "1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "2001:DB8::a:B:c", "fe80::1c2a:3ff:fe4b:5c6d", "::ffff:192.0.2.1",
    "1:2:3:4:5:6:192.0.2.1", "64:ff9b::192.0.2.33", "0:0:0:0:0:ffff:c000:201"})
  void readsEveryLiteralFormToTheSameBytesAsTheJdk(String literal) throws UnknownHostException {
    // InetAddress only as the reference: every input here is a literal, so it never looks anything up.
    byte[] expected = InetAddress.getByName(literal).getAddress();
    byte[] parsed = IpAddressLiteral.parse(literal).orElseThrow();
    assertArrayEquals(IpAddressLiteral.unmapped(parsed), expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "localhost", "1.2.3", "1.2.3.4.", ".1.2.3.4", "1.2.3.256", "01.2.3.4", "1.2.3.-4",
    "1.2.3.+4", "\uff11.2.3.4", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "::1::", ":::", ":1::2",
    "1::2:", "12345::", "g::", "::1%eth0", "[::1]", "1.2.3.4::", "::1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4",
    "::\uff11", " ::1"})
  void refusesAnythingElse(String text) {
    assertTrue(IpAddressLiteral.parse(text).isEmpty(), text);
  }

  @Test
  void mappedAddressUnmapsToItsIpv4Address() {
    byte[] mapped = IpAddressLiteral.parse("::ffff:10.0.0.1").orElseThrow();
    byte[] compatible = IpAddressLiteral.parse("::10.0.0.1").orElseThrow();
    assertArrayEquals(new byte[] {10, 0, 0, 1}, IpAddressLiteral.unmapped(mapped));
    assertArrayEquals(compatible, IpAddressLiteral.unmapped(compatible));
  }
}
