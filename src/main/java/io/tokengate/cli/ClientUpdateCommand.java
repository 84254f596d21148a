package io.tokengate.cli;

import io.tokengate.client.ClientRegistration;
import io.tokengate.client.ClientUpdate;
import io.tokengate.client.ClientUpdate.Change;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code client update}: the options of {@code client create} that change a registration without touching its
 * credential; each option given replaces the setting (a list replaces the list), {@code --no-...} clears it.
 */
@Command(name = "update", description = {
  "Change a client's registration: each option given replaces that setting, --no-... clears it. Its credential "
    + "stays (rotate-secret changes a secret)."})
final class ClientUpdateCommand extends AdminCommand {

  @Parameters(index = "0", paramLabel = "CLIENT_ID")
  String clientId;

  @Mixin
  ClientOptions options;

  @Option(names = "--no-access-token-lifetime", description = "Back to tokens.access_token_lifetime.")
  boolean noAccessTokenLifetime;

  @Option(names = "--no-refresh-token-lifetime", description = "Back to tokens.refresh_token_lifetime.")
  boolean noRefreshTokenLifetime;

  @Option(names = "--no-refresh-token-idle-timeout", description = "Back to tokens.refresh_token_idle_timeout.")
  boolean noRefreshTokenIdleTimeout;

  @Option(names = "--no-rate-limit", description = "Back to rate_limits.per_client.")
  boolean noRateLimit;

  @Option(names = "--no-password-grant-sunset",
    description = "No sunset: its password grant goes on, without Deprecation and Sunset headers.")
  boolean noPasswordGrantSunset;

  @Override
  void readInput() {
    exclusive("--access-token-lifetime", options.accessTokenLifetime != null, noAccessTokenLifetime);
    exclusive("--refresh-token-lifetime", options.refreshTokenLifetime != null, noRefreshTokenLifetime);
    exclusive("--refresh-token-idle-timeout", options.refreshTokenIdleTimeout != null, noRefreshTokenIdleTimeout);
    exclusive("--rate-limit", options.rateLimit != null, noRateLimit);
    exclusive("--password-grant-sunset", options.passwordGrantSunset != null, noPasswordGrantSunset);
  }

  private static void exclusive(String option, boolean set, boolean cleared) {
    if (set && cleared) {
      throw new IllegalArgumentException("give either " + option + " or --no-" + option.substring(2) + ", not both");
    }
  }

  @Override
  void run(AdminContext admin, PrintWriter out) {
    ClientUpdate update = update(admin.clock());
    if (update.equals(ClientUpdate.none())) {
      throw new IllegalArgumentException("nothing to change: give at least one option (see client update --help)");
    }
    ClientRegistration.Updated updated = admin.clients().update(clientId, update).await();
    out.println("updated client " + clientId + " (replicas notice within clients.cache_ttl)");
    SunsetNotice.print(out, updated.after(), updated.before().passwordGrantSunset(), admin.clock());
  }

  private ClientUpdate update(Clock clock) {
    return new ClientUpdate(options.grantTypes(), options.scopes(), options.defaultScopes(),
      change(options.accessTokenLifetime(), noAccessTokenLifetime),
      change(options.refreshTokenLifetime(), noRefreshTokenLifetime),
      change(options.refreshTokenIdleTimeout(), noRefreshTokenIdleTimeout),
      Optional.ofNullable(options.certificateBound), Optional.ofNullable(options.requireDpop), options.otpPolicy(),
      change(Optional.ofNullable(options.rateLimit), noRateLimit),
      change(sunset(clock), noPasswordGrantSunset));
  }

  private Optional<Instant> sunset(Clock clock) {
    return options.passwordGrantSunset().map(date -> date.confirmed(clientId, options.yes, clock).at());
  }

  private static <T> Change<T> change(Optional<T> value, boolean cleared) {
    return cleared ? Change.cleared() : value.map(Change::to).orElse(Change.keep());
  }
}
