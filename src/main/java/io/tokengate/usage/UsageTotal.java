package io.tokengate.usage;

import java.time.Instant;

/**
 * A client's password grants over a period, and its last password grant of all the days kept.
 *
 * @param successes  password grants that issued tokens in the period
 * @param failures   password grants that failed in the period
 * @param lastUsedAt its last password grant on any day kept (success or failure)
 */
public record UsageTotal(String clientId, long successes, long failures, Instant lastUsedAt) {
}
