package io.tokengate.usage;

import io.tokengate.client.Client;
import io.tokengate.client.PasswordGrantSunset;
import io.tokengate.grant.GrantTypes;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code client usage --password-grant}: every client that has the password grant, with its sunset, last use and
 * volume, the clients that keep the grant alive first. A client blocks the grant's retirement the more it uses it
 * and the longer it may go on: in use without a sunset first, then in use with the latest sunset, then the idle ones
 * (nothing to migrate: give them a date), and the retired last.
 */
public final class RetirementReport {

  /** Where a client stands, in the report's order. */
  public enum Standing {
    IN_USE_WITHOUT_SUNSET("in use, no sunset"),
    IN_USE_UNTIL_SUNSET("in use until its sunset"),
    IDLE_WITHOUT_SUNSET("unused in the period, no sunset"),
    IDLE_UNTIL_SUNSET("unused in the period, sunset set"),
    RETIRED("retired");

    private final String description;

    Standing(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  /**
   * @param successes  its password grants that issued tokens in the period
   * @param failures   those that failed in the period
   * @param lastUsedAt its last password grant on any day kept
   */
  public record Entry(String clientId, Standing standing, Optional<PasswordGrantSunset> sunset,
                      Optional<Instant> lastUsedAt, long successes, long failures) {
  }

  private static final Comparator<Entry> BLOCKERS_FIRST = Comparator.comparing(Entry::standing)
    // The later a client's sunset, the longer it keeps the grant alive.
    .thenComparing(entry -> entry.sunset().map(PasswordGrantSunset::sunsetAt).orElse(Instant.MAX),
      Comparator.reverseOrder())
    .thenComparing(Entry::successes, Comparator.reverseOrder())
    .thenComparing(entry -> entry.lastUsedAt().orElse(Instant.MIN), Comparator.reverseOrder())
    .thenComparing(Entry::clientId);

  private RetirementReport() {
  }

  /** @param totals usage per client over the report's period (a client without rows has not been used) */
  public static List<Entry> of(List<Client> clients, Map<String, UsageTotal> totals, Instant now) {
    return clients.stream()
      .filter(client -> client.mayUseGrant(GrantTypes.PASSWORD))
      .map(client -> entry(client, Optional.ofNullable(totals.get(client.clientId())), now))
      .sorted(BLOCKERS_FIRST)
      .toList();
  }

  private static Entry entry(Client client, Optional<UsageTotal> total, Instant now) {
    Optional<PasswordGrantSunset> sunset = client.passwordGrantSunset();
    long successes = total.map(UsageTotal::successes).orElse(0L);
    boolean inUse = successes > 0;
    Standing standing = sunset.filter(at -> at.reached(now)).isPresent() ? Standing.RETIRED
      : sunset.isPresent() ? (inUse ? Standing.IN_USE_UNTIL_SUNSET : Standing.IDLE_UNTIL_SUNSET)
      : inUse ? Standing.IN_USE_WITHOUT_SUNSET : Standing.IDLE_WITHOUT_SUNSET;
    return new Entry(client.clientId(), standing, sunset, total.map(UsageTotal::lastUsedAt), successes,
      total.map(UsageTotal::failures).orElse(0L));
  }
}
