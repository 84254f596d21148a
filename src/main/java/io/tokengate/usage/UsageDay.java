package io.tokengate.usage;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One client's password grants on one UTC day, from every replica that has flushed.
 *
 * @param distinctUsers users who got a token by the password grant that day
 * @param firstUsedAt   the day's first password grant (success or failure)
 * @param lastUsedAt    its last
 */
public record UsageDay(String clientId, LocalDate day, long successes, long failures, long distinctUsers,
                       Instant firstUsedAt, Instant lastUsedAt) {
}
