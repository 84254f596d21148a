package io.tokengate.http;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {

  @Test
  void aKeySpendsItsBurstAndThenWaits() {
    RateLimiter limiter = new RateLimiter(10, "address", new SimpleMeterRegistry());
    for (int i = 0; i < 3; i++) {
      assertFalse(limiter.acquire("a", 1, 3).isPresent(), "the burst");
    }
    assertTrue(limiter.acquire("a", 1, 3).getAsLong() >= 1, "then a second's wait");
    assertFalse(limiter.acquire("b", 1, 3).isPresent(), "another key has its own bucket");
  }

  @Test
  void aFullTableDropsOnlyIdleKeysAndSendsNewKeysToOneOverflowBucket() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RateLimiter limiter = new RateLimiter(2, "address", registry);
    limiter.acquire("busy-1", 0.001, 1);
    limiter.acquire("busy-2", 0.001, 1);

    // Both buckets are empty (limiting), so neither is dropped: new keys share the overflow bucket's burst of 1.
    assertFalse(limiter.acquire("newcomer-1", 0.001, 1).isPresent());
    assertTrue(limiter.acquire("newcomer-2", 0.001, 1).isPresent(), "a flood of new keys is limited as one");
    assertTrue(limiter.acquire("busy-1", 0.001, 1).isPresent(), "a limited key stays limited");
    assertEquals(2, registry.get("tokengate.rate.limiter.overflow").counter().count());
    assertEquals(0, registry.get("tokengate.rate.limiter.evictions").counter().count());
  }

  @Test
  void anIdleKeyMakesRoomForANewOne() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RateLimiter limiter = new RateLimiter(1, "address", registry);
    limiter.acquire("idle", 1e12, 1); // refills within a nanosecond: idle

    assertFalse(limiter.acquire("newcomer", 1e12, 1).isPresent());
    assertEquals(1, registry.get("tokengate.rate.limiter.evictions").counter().count());
    assertEquals(0, registry.get("tokengate.rate.limiter.overflow").counter().count(), "in a bucket of its own");
  }

  @Test
  void ipv6AddressesAreKeyedByTheirSlash64() {
    assertEquals("2001:db8:1:2:0:0:0:0/64", io.tokengate.tls.AddressKeys.rateLimitKey("2001:db8:1:2::17"));
    assertEquals("2001:db8:1:2:0:0:0:0/64",
      io.tokengate.tls.AddressKeys.rateLimitKey("2001:db8:1:2:ffff:ffff:ffff:ffff%eth0"));
    assertEquals("192.0.2.1", io.tokengate.tls.AddressKeys.rateLimitKey("::ffff:192.0.2.1"));
    assertEquals("192.0.2.1", io.tokengate.tls.AddressKeys.rateLimitKey("192.0.2.1"));
  }
}
