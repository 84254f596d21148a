package io.tokengate.cli;

import io.tokengate.client.Client;
import io.tokengate.client.ClientAuthMethod;
import io.tokengate.client.ClientKeys;
import io.tokengate.client.ClientRegistration;
import io.tokengate.client.ClientTokenProfile;
import io.tokengate.client.TlsClientIdentity;
import io.tokengate.config.Config;
import io.tokengate.config.Durations;
import io.tokengate.user.OtpPolicy;
import io.tokengate.user.PasswordHashing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

@Command(name = "client", description = "Manage clients.", subcommands = {ClientCommand.Create.class,
  ClientUpdateCommand.class, ClientCommand.ListClients.class, ClientCommand.Show.class, ClientCommand.Disable.class,
  ClientCommand.Enable.class, ClientCommand.Delete.class, ClientCommand.RotateSecret.class, ClientUsageCommand.class})
final class ClientCommand {

  @Command(name = "create", description = {
    "Register a confidential client. For the secret methods, a secret is generated and printed once (256 bits; 512 "
      + "for client_secret_jwt) unless --secret-stdin gives one."})
  static final class Create extends AdminCommand {

    @Parameters(index = "0", paramLabel = "CLIENT_ID")
    String clientId;

    @Mixin
    ClientOptions options;

    @Option(names = "--secret-stdin", description = "Read a chosen secret from standard input instead.")
    boolean secretFromStdin;

    @Mixin
    ClientCredentialOptions credential;

    private Optional<String> secret = Optional.empty();
    private ClientKeys keys = ClientKeys.NONE;

    @Override
    void readInput() throws IOException {
      if (options.grants == null) {
        throw new IllegalArgumentException("--grants is required: password, refresh_token, client_credentials");
      }
      keys = credential.keys();
      if (secretFromStdin) {
        secret = Optional.of(SecretInput.read("secret", true));
      }
    }

    @Override
    void run(AdminContext admin, PrintWriter out) {
      ClientRegistration.Request request = new ClientRegistration.Request(clientId, options.grantTypes().orElseThrow(),
        options.scopes().orElse(List.of()), options.defaultScopes().orElse(List.of()), secret,
        options.accessTokenLifetime(), options.refreshTokenLifetime(), options.refreshTokenIdleTimeout())
        .authenticatingWith(methods(), keys)
        .constrainingTokens(Boolean.TRUE.equals(options.certificateBound), Boolean.TRUE.equals(options.requireDpop))
        .withPolicies(options.otpPolicy().orElse(OtpPolicy.IF_ENROLLED), Optional.ofNullable(options.rateLimit))
        .retiringPasswordGrantAt(options.passwordGrantSunset()
          .map(sunset -> sunset.confirmed(clientId, options.yes, admin.clock()).at()));
      Optional<ClientTokenProfile> profile = options.tokenProfile(ClientTokenProfile.DEFAULT);
      ClientRegistration.Registered registered = admin.clients().register(request).await();
      profile.ifPresent(chosen -> admin.clientStore().setTokenProfile(registered.client().clientId(), chosen).await());
      out.println("client_id: " + registered.client().clientId());
      registered.generatedSecret().ifPresent(generated -> printSecret(out, generated));
      SunsetNotice.print(out, registered.client(), Optional.empty(), admin.clock());
    }

    private Set<ClientAuthMethod> methods() {
      return credential.methods().orElse(ClientRegistration.DEFAULT_AUTH_METHODS);
    }
  }

  @Command(name = "list", description = "List clients.")
  static final class ListClients extends AdminCommand {

    @Option(names = "--output", paramLabel = "FORMAT", description = "text (default) or json.")
    OutputFormat output = OutputFormat.text;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      if (output == OutputFormat.json) {
        out.println(new JsonArray(admin.clientStore().list().await().stream().map(RecordJson::client).toList())
          .encodePrettily());
        return;
      }
      String format = "%-32s %-8s %-40s %s%n";
      out.printf(format, "CLIENT_ID", "ENABLED", "GRANTS", "SCOPES");
      for (Client client : admin.clientStore().list().await()) {
        out.printf(format, client.clientId(), client.enabled(), String.join(",", client.grantTypes()),
          String.join(" ", client.scopes()));
      }
    }
  }

  @Command(name = "show", description = "Show a client's registration (never its secret).")
  static final class Show extends AdminCommand {

    @Parameters(index = "0", paramLabel = "CLIENT_ID")
    String clientId;

    @Option(names = "--output", paramLabel = "FORMAT", description = "text (default) or json.")
    OutputFormat output = OutputFormat.text;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      Client client = admin.clientStore().findById(clientId).await()
        .orElseThrow(() -> new IllegalStateException("no client " + clientId));
      if (output == OutputFormat.json) {
        out.println(RecordJson.client(client).encodePrettily());
        return;
      }
      Config.Tokens defaults = admin.config().tokens();
      String format = "%-28s %s%n";
      out.printf(format, "client_id:", client.clientId());
      out.printf(format, "enabled:", client.enabled());
      out.printf(format, "secret:", client.secretHash() == null ? "none"
        : PasswordHashing.canVerify(client.secretHash()) ? "chosen, stored as a password hash" : "generated, stored as SHA-256");
      out.printf(format, "auth_methods:", String.join(", ", client.authMethods().stream().map(ClientAuthMethod::value).toList()));
      client.keys().jwks().ifPresent(jwks -> out.printf(format, "jwks:", jwks.getKeys().size() + " keys: "
        + String.join(", ", jwks.getKeys().stream().map(key -> key.getKeyType() + " " + key.getKeyID()).toList())));
      client.keys().jwksUri().ifPresent(uri -> out.printf(format, "jwks_uri:", uri));
      client.keys().tlsIdentity().ifPresent(identity ->
        out.printf(format, "tls_client_auth_" + identity.kind().value() + ":", identity.value()));
      if (!client.keys().certificateThumbprints().isEmpty()) {
        out.printf(format, "certificate_thumbprints:", String.join(", ", client.keys().certificateThumbprints()));
      }
      out.printf(format, "certificate_bound_tokens:", client.certificateBound());
      out.printf(format, "require_dpop:", client.requiresDpop());
      out.printf(format, "otp_policy:", client.otpPolicy().value());
      out.printf(format, "rate_limit:", client.rateLimit().map(limit -> limit + "/s")
        .orElse("rate_limits.per_client (configured default)"));
      out.printf(format, "grant_types:", String.join(", ", client.grantTypes()));
      if (client.mayUseGrant("password")) {
        out.printf(format, "password_grant_sunset:", client.passwordGrantSunset()
          .map(sunset -> SunsetDate.format(sunset.sunsetAt()) + " (deprecated since "
            + SunsetDate.format(sunset.deprecatedAt()) + ")").orElse("none"));
      }
      out.printf(format, "scopes:", String.join(" ", client.scopes()));
      out.printf(format, "default_scopes:", String.join(" ", client.defaultScopes()));
      out.printf(format, "access_token_lifetime:", lifetime(client.accessTokenTtl(), defaults.accessTokenLifetime()));
      if (client.receivesRefreshTokens()) {
        out.printf(format, "refresh_token_lifetime:",
          lifetime(client.refreshTokenTtl(), defaults.refreshTokenLifetime()));
        out.printf(format, "refresh_token_idle_timeout:",
          lifetime(client.refreshTokenIdle(), defaults.refreshTokenIdleTimeout()));
      }
    }

    private static String lifetime(Optional<Duration> own, Duration configured) {
      return own.map(Durations::format)
        .orElse((configured.isZero() ? "none" : Durations.format(configured)) + " (configured default)");
    }
  }

  @Command(name = "disable", description = "Disable a client: it can no longer get, introspect or revoke tokens.")
  static final class Disable extends AdminCommand {

    @Parameters(index = "0", paramLabel = "CLIENT_ID")
    String clientId;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      if (!admin.clientStore().disable(clientId).await()) {
        throw new IllegalStateException("no client " + clientId);
      }
      out.println("disabled client " + clientId
        + " (replicas notice within clients.cache_ttl; its refresh tokens stop working at once)");
    }
  }

  @Command(name = "enable", description = "Enable a disabled client again.")
  static final class Enable extends AdminCommand {

    @Parameters(index = "0", paramLabel = "CLIENT_ID")
    String clientId;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      if (!admin.clientStore().enable(clientId).await()) {
        throw new IllegalStateException("no client " + clientId);
      }
      out.println("enabled client " + clientId + " (replicas notice within clients.cache_ttl)");
    }
  }

  @Command(name = "delete", description = {
    "Delete a client and revoke its sessions: its refresh-token families are deleted with it."})
  static final class Delete extends AdminCommand {

    @Parameters(index = "0", paramLabel = "CLIENT_ID")
    String clientId;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      if (!admin.clientStore().delete(clientId).await()) {
        throw new IllegalStateException("no client " + clientId);
      }
      out.println("deleted client " + clientId + " and its refresh tokens (replicas forget it within "
        + "clients.cache_ttl; its access tokens expire within their lifetime)");
    }
  }

  @Command(name = "rotate-secret", description = {
    "Give a client a new secret: generated and printed once, or read from standard input with --secret-stdin."})
  static final class RotateSecret extends AdminCommand {

    @Parameters(index = "0", paramLabel = "CLIENT_ID")
    String clientId;

    @Option(names = "--secret-stdin", description = "Read a chosen secret from standard input.")
    boolean secretFromStdin;

    private Optional<String> chosen = Optional.empty();

    @Override
    void readInput() throws IOException {
      if (secretFromStdin) {
        chosen = Optional.of(SecretInput.read("secret", true));
      }
    }

    @Override
    void run(AdminContext admin, PrintWriter out) {
      Optional<String> generated = admin.clients().rotateSecret(clientId, chosen).await();
      out.println("client_id: " + clientId);
      generated.ifPresent(secret -> printSecret(out, secret));
    }
  }

  static void printSecret(PrintWriter out, String secret) {
    out.println("client_secret: " + secret);
    out.println("(shown once: only its hash is stored)");
  }

}
