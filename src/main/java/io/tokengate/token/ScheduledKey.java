package io.tokengate.token;

import java.time.Instant;

/** A key that signs from {@code from} on, until a key scheduled later takes over ({@link Instant#MIN}: from the start). */
public record ScheduledKey(SigningKey key, Instant from) {

  public static ScheduledKey now(SigningKey key) {
    return new ScheduledKey(key, Instant.MIN);
  }
}
