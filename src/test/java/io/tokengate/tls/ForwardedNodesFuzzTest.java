package io.tokengate.tls;

import io.tokengate.support.Fuzz;
import io.tokengate.support.FuzzInputs;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forwarding headers come from anyone behind a trusted proxy: whatever they hold, parsing never throws, and every
 * hop it returns is an IP address in canonical form — never {@code unknown}, a name, or text the client chose.
 */
class ForwardedNodesFuzzTest {

  private static final String CHARS = "0123456789abcdef.:[]\"\\;,=_ \tforFORbyhostproto-unknown\u0661";

  @Test
  void anyForwardedLineGivesOnlyCanonicalAddresses() {
    Fuzz.tries(40_000).shrinking(FuzzInputs::smallerText).check(random -> switch (random.nextInt(3)) {
      case 0 -> FuzzInputs.text(random, 80, CHARS);
      case 1 -> FuzzInputs.mutate(random, forwarded(random), CHARS);
      default -> forwarded(random);
    }, line -> verdict(ForwardedNodes.forwarded(line))).reached("an address", 0.2).reached("none", 0.05);
  }

  @Test
  void anyXForwardedForLineGivesOnlyCanonicalAddresses() {
    Fuzz.tries(40_000).shrinking(FuzzInputs::smallerText).check(random -> random.nextBoolean()
      ? FuzzInputs.text(random, 80, CHARS)
      : FuzzInputs.mutate(random, node(random) + ", " + node(random), CHARS),
      line -> verdict(ForwardedNodes.xForwardedFor(line))).reached("an address", 0.1);
  }

  private static String verdict(List<Optional<String>> hops) {
    boolean any = false;
    for (Optional<String> hop : hops) {
      if (hop.isPresent()) {
        byte[] bytes = IpAddressLiteral.parse(hop.get()).orElseThrow(() -> new AssertionError("not an address: " + hop));
        assertTrue(hop.get().equals(ForwardedNodes.text(IpAddressLiteral.unmapped(bytes))), "not canonical: " + hop);
        any = true;
      }
    }
    return any ? "an address" : "none";
  }

  private static String forwarded(SplittableRandom random) {
    StringBuilder line = new StringBuilder();
    int elements = FuzzInputs.between(random, 1, 4);
    for (int i = 0; i < elements; i++) {
      line.append(i == 0 ? "" : FuzzInputs.pick(random, ",", ", ", " ,"));
      line.append(FuzzInputs.pick(random, "for=", "For=", "proto=https;for=", "by=10.0.0.1;for="));
      String node = node(random);
      line.append(node.indexOf(':') >= 0 || random.nextBoolean() ? '"' + node + '"' : node);
    }
    return line.toString();
  }

  private static String node(SplittableRandom random) {
    return switch (random.nextInt(6)) {
      case 0 -> random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
      case 1 -> "192.0.2." + random.nextInt(256) + ":" + random.nextInt(70_000);
      case 2 -> "[2001:db8::" + Integer.toHexString(random.nextInt(65_536)) + "]:" + random.nextInt(70_000);
      case 3 -> "[::ffff:198.51.100." + random.nextInt(256) + "]";
      case 4 -> "unknown";
      default -> "_" + FuzzInputs.text(random, 8, "abc");
    };
  }
}
