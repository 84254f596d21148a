package io.tokengate.tls;

import io.tokengate.support.Fuzz;
import io.tokengate.support.FuzzInputs;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which proxies are trusted comes from configuration, and the peer address from the socket; neither may ever throw
 * more than the documented {@link IllegalArgumentException} for a bad configuration, and a block trusts exactly the
 * addresses that share its prefix.
 */
class TrustedProxiesFuzzTest {

  private static final String ADDRESS_CHARS = "0123456789abcdefABCDEF.:/%,  x-\u0661\uff11";

  /** The configured list, and a peer address to ask about. */
  private record Question(String proxies, String peer) {
    @Override
    public String toString() {
      return "proxies " + FuzzInputs.describe(proxies) + ", peer " + FuzzInputs.describe(peer);
    }
  }

  /** An address (4 or 16 bytes), and one of its text forms. */
  private record Literal(byte[] address, String text) {
    @Override
    public String toString() {
      return FuzzInputs.describe(text) + " for " + Arrays.toString(address);
    }
  }

  @Test
  void anyConfiguredListParsesOrIsIllegalArgument() {
    Fuzz.tries(60_000).shrinking(FuzzInputs::smallerText).check(random -> switch (random.nextInt(3)) {
      case 0 -> FuzzInputs.text(random, 60, ADDRESS_CHARS);
      case 1 -> FuzzInputs.mutate(random, entries(random, false), ADDRESS_CHARS);
      default -> entries(random, false);
    }, text -> {
      try {
        TrustedProxies.parse(text);
        return "parsed";
      } catch (IllegalArgumentException e) {
        return "refused";
      }
    }).reached("parsed", 0.08).reached("refused", 0.2);
  }

  @Test
  void anyPeerAddressIsTrustedOrNotWithoutThrowing() {
    Fuzz.tries(60_000).check(random -> new Question(entries(random, true), switch (random.nextInt(4)) {
      case 0 -> FuzzInputs.text(random, 50, ADDRESS_CHARS);
      case 1 -> FuzzInputs.mutate(random, literal(random).text, ADDRESS_CHARS);
      default -> literal(random).text + (random.nextInt(5) == 0 ? "%" + FuzzInputs.text(random, 6, "") : "");
    }), question -> TrustedProxies.parse(question.proxies).trusts(question.peer) ? "trusted" : "not trusted")
      .reached("trusted", 0.005).reached("not trusted", 0.3);
  }

  @Test
  void everyTextFormOfAnAddressParsesToItsBytes() {
    Fuzz.tries(60_000).check(TrustedProxiesFuzzTest::literal, literal -> {
      assertArrayEquals(literal.address, IpAddressLiteral.parse(literal.text).orElse(null));
      return literal.address.length == 4 ? "IPv4" : "IPv6";
    });
  }

  @Test
  void aBlockTrustsExactlyTheAddressesSharingItsPrefix() {
    Fuzz.tries(60_000).check(random -> {
      Literal network = literal(random);
      int prefix = random.nextInt(network.address.length * 8 + 1);
      byte[] masked = masked(network.address, prefix);
      // Peers in the block (the network with random host bits) as often as outside it.
      byte[] peer = random.nextBoolean() ? literal(random).address : withHostBits(random, masked, prefix);
      return new Question(text(random, masked) + "/" + prefix, text(random, peer));
    }, question -> {
      boolean trusted = TrustedProxies.parse(question.proxies).trusts(question.peer);
      String[] block = question.proxies.split("/");
      // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; entries written that way are IPv4 blocks.
      byte[] network = IpAddressLiteral.parse(block[0]).orElseThrow();
      int prefix = Integer.parseInt(block[1]);
      if (IpAddressLiteral.isIpv4Mapped(network) && prefix >= 96) {
        network = IpAddressLiteral.unmapped(network);
        prefix -= 96;
      }
      byte[] peer = IpAddressLiteral.unmapped(IpAddressLiteral.parse(question.peer).orElseThrow());
      boolean inside = peer.length == network.length && Arrays.equals(masked(peer, prefix), network);
      assertEquals(inside, trusted);
      return inside ? "inside" : "outside";
    }).reached("inside", 0.3).reached("outside", 0.3);
  }

  /** A comma-separated list of addresses and blocks, valid or (unless {@code valid}) nearly, spaced at random. */
  private static String entries(SplittableRandom random, boolean valid) {
    List<String> entries = new ArrayList<>();
    int count = FuzzInputs.between(random, 1, 4);
    for (int i = 0; i < count; i++) {
      Literal literal = literal(random);
      int bits = literal.address.length * 8;
      entries.add(switch (random.nextInt(valid ? 2 : 4)) {
        case 0 -> literal.text;
        case 1 -> {
          int prefix = random.nextInt(bits + 1);
          yield text(random, masked(literal.address, prefix)) + "/" + prefix;
        }
        case 2 -> literal.text + "/" + FuzzInputs.pick(random, "", "-1", "0", "33", "129", "0032", "1000", "x", "+8");
        default -> FuzzInputs.pick(random, "localhost", "10.0.0.0/8", "::1", "::ffff:10.0.0.0/104", "fe80::1%eth0",
          "1.2.3", "01.2.3.4", "1.2.3.4.5", "::ffff:1.2.3.4", "[::1]", "::1::", ":::", "1:2:3:4:5:6:7:8:9", "");
      });
    }
    return String.join(FuzzInputs.pick(random, ",", ", ", " , ", "\t,"), entries);
  }

  /** A random address, written in one of the forms RFC 4291 §2.2 allows (or dotted decimal). */
  private static Literal literal(SplittableRandom random) {
    byte[] address = new byte[random.nextInt(3) == 0 ? 4 : 16];
    random.nextBytes(address);
    if (address.length == 16) {
      // Runs of zeros, so that "::" has something to stand for, and IPv4-mapped addresses.
      switch (random.nextInt(4)) {
        case 0 -> Arrays.fill(address, random.nextInt(8), FuzzInputs.between(random, 8, 16), (byte) 0);
        case 1 -> {
          Arrays.fill(address, 0, 10, (byte) 0);
          address[10] = (byte) 0xff;
          address[11] = (byte) 0xff;
        }
        default -> {
        }
      }
    }
    return new Literal(address, text(random, address));
  }

  private static String text(SplittableRandom random, byte[] address) {
    if (address.length == 4) {
      return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
    }
    boolean ipv4Tail = random.nextInt(4) == 0;
    int groupCount = ipv4Tail ? 6 : 8;
    List<String> groups = new ArrayList<>();
    for (int i = 0; i < groupCount; i++) {
      int group = (address[2 * i] & 0xff) << 8 | address[2 * i + 1] & 0xff;
      String hex = Integer.toHexString(group);
      // Leading zeros (up to four digits) and either case are all the same group.
      hex = "0".repeat(random.nextInt(5 - hex.length())) + hex;
      groups.add(random.nextBoolean() ? hex.toUpperCase() : hex);
    }
    // "::" for one run of zero groups, if there is one and the dice say so.
    Optional<int[]> run = zeroRun(groups, random);
    String text;
    if (run.isPresent()) {
      int[] span = run.get();
      text = String.join(":", groups.subList(0, span[0])) + "::"
        + String.join(":", groups.subList(span[1], groupCount));
    } else {
      text = String.join(":", groups);
    }
    if (ipv4Tail) {
      String ipv4 = (address[12] & 0xff) + "." + (address[13] & 0xff) + "." + (address[14] & 0xff) + "."
        + (address[15] & 0xff);
      text += text.endsWith("::") ? ipv4 : ":" + ipv4;
    }
    return text;
  }

  /** A random run [start, end) of zero groups, if any. */
  private static Optional<int[]> zeroRun(List<String> groups, SplittableRandom random) {
    List<int[]> runs = new ArrayList<>();
    for (int start = 0; start < groups.size(); start++) {
      for (int end = start + 1; end <= groups.size() && isZero(groups.get(end - 1)); end++) {
        runs.add(new int[] {start, end});
      }
    }
    return runs.isEmpty() || random.nextInt(4) == 0 ? Optional.empty() : Optional.of(FuzzInputs.pick(random, runs));
  }

  private static boolean isZero(String group) {
    return group.chars().allMatch(c -> c == '0');
  }

  private static byte[] masked(byte[] address, int prefix) {
    byte[] masked = address.clone();
    for (int bit = prefix; bit < masked.length * 8; bit++) {
      masked[bit / 8] &= (byte) ~(0x80 >>> bit % 8);
    }
    return masked;
  }

  private static byte[] withHostBits(SplittableRandom random, byte[] network, int prefix) {
    byte[] address = network.clone();
    for (int bit = prefix; bit < address.length * 8; bit++) {
      if (random.nextBoolean()) {
        address[bit / 8] |= (byte) (0x80 >>> bit % 8);
      }
    }
    return address;
  }
}
