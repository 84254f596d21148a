package io.tokengate.cli;

import io.tokengate.client.Client;
import io.tokengate.client.ClientKeys;
import io.tokengate.client.ClientRegistration;
import io.tokengate.client.ClientUpdate.Change;
import io.tokengate.client.ClientUpdate;
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
  "Change a client's registration: each option given replaces that setting, --no-... clears it. The credential "
    + "options replace the methods or keys given, checked as create checks them; a client that now needs a secret it "
    + "lacks gets one generated and printed once (rotate-secret changes an existing secret)."})
final class ClientUpdateCommand extends AdminCommand {

  @Parameters(index = "0", paramLabel = "CLIENT_ID")
  String clientId;

  @Mixin
  ClientOptions options;

  @Mixin
  ClientCredentialOptions credential;

  @Option(names = "--no-jwks", description = "Forget its registered JWKS.")
  boolean noJwks;

  @Option(names = "--no-jwks-uri", description = "Forget its jwks_uri.")
  boolean noJwksUri;

  @Option(names = "--no-tls-identity", description = "Forget its tls_client_auth subject or SAN.")
  boolean noTlsIdentity;

  @Option(names = "--no-certificates", description = "Forget its self-signed certificates' thumbprints.")
  boolean noCertificates;

  private ClientKeys givenKeys = ClientKeys.NONE;

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
    exclusive("--jwks-file", credential.jwksFile != null, noJwks);
    exclusive("--jwks-uri", credential.jwksUri != null, noJwksUri);
    exclusive("--tls-subject", credential.tlsSubject != null || credential.tlsSan != null, noTlsIdentity);
    exclusive("--certificate-file", !credential.certificateFiles.isEmpty(), noCertificates);
    try {
      givenKeys = credential.keys();
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot read a key file: " + e.getMessage());
    }
  }

  private boolean credentialChanges() {
    return credential.given() || noJwks || noJwksUri || noTlsIdentity || noCertificates;
  }

  /** The stored keys with each part given replaced and each part cleared forgotten. */
  private ClientKeys keys(ClientKeys stored) {
    return new ClientKeys(Optional.empty(),
      noJwks ? Optional.empty() : givenKeys.jwks().or(stored::jwks),
      noJwksUri ? Optional.empty() : givenKeys.jwksUri().or(stored::jwksUri),
      noTlsIdentity ? Optional.empty() : givenKeys.tlsIdentity().or(stored::tlsIdentity),
      noCertificates ? java.util.List.of() : credential.certificateFiles.isEmpty() ? stored.certificateThumbprints()
        : givenKeys.certificateThumbprints());
  }

  private static void exclusive(String option, boolean set, boolean cleared) {
    if (set && cleared) {
      throw new IllegalArgumentException("give either " + option + " or --no-" + option.substring(2) + ", not both");
    }
  }

  @Override
  void run(AdminContext admin, PrintWriter out) {
    ClientUpdate update = update(admin.clock());
    Optional<io.tokengate.client.ClientTokenProfile> profile = options.tokenProfile(
      io.tokengate.client.ClientTokenProfile.DEFAULT);
    if (update.equals(ClientUpdate.none()) && !credentialChanges() && profile.isEmpty()) {
      throw new IllegalArgumentException("nothing to change: give at least one option (see client update --help)");
    }
    Optional<String> generated = Optional.empty();
    if (credentialChanges()) {
      generated = admin.clients().changeCredential(clientId, client -> new Client(client.clientId(),
        client.secretHash(), credential.methods().orElse(client.authMethods()), client.grantTypes(), client.scopes(),
        client.defaultScopes(), client.accessTokenTtl(), client.refreshTokenTtl(), client.refreshTokenIdle(),
        client.enabled(), keys(client.keys()), client.certificateBound(), client.requiresDpop(), client.otpPolicy(),
        client.rateLimit(), client.passwordGrantSunset(), client.tokenProfile())).await();
    }
    if (profile.isPresent()) {
      Client stored = admin.clientStore().findById(clientId).await()
        .orElseThrow(() -> new IllegalStateException("no client " + clientId));
      admin.clientStore().setTokenProfile(clientId, options.tokenProfile(stored.tokenProfile()).get()).await();
    }
    if (!update.equals(ClientUpdate.none())) {
      ClientRegistration.Updated updated = admin.clients().update(clientId, update).await();
      SunsetNotice.print(out, updated.after(), updated.before().passwordGrantSunset(), admin.clock());
    }
    out.println("updated client " + clientId + " (replicas notice within clients.cache_ttl)");
    generated.ifPresent(secret -> ClientCommand.printSecret(out, secret));
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
