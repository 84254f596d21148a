package io.tokengate.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {

  @Test
  void aKeySpendsItsBurstAndThenWaits() {
    RateLimiter limiter = new RateLimiter(10);
    for (int i = 0; i < 3; i++) {
      assertFalse(limiter.acquire("a", 1, 3).isPresent(), "the burst");
    }
    assertTrue(limiter.acquire("a", 1, 3).getAsLong() >= 1, "then a second's wait");
    assertFalse(limiter.acquire("b", 1, 3).isPresent(), "another key has its own bucket");
  }

  @Test
  void aFullTableDropsIdleKeysAndNeverLimitsANewKeyForOthers() {
    RateLimiter limiter = new RateLimiter(2);
    limiter.acquire("busy-1", 0.001, 1);
    limiter.acquire("busy-2", 0.001, 1);
    // Both buckets are empty (busy), so nothing can be dropped: the new key goes unlimited.
    assertFalse(limiter.acquire("newcomer", 0.001, 1).isPresent());
    assertTrue(limiter.acquire("busy-1", 0.001, 1).isPresent(), "a limited key stays limited");
  }
}
