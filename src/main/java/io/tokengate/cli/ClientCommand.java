package io.tokengate.cli;

import io.tokengate.client.Client;
import io.tokengate.client.ClientAuthMethod;
import io.tokengate.client.ClientKeys;
import io.tokengate.client.ClientRegistration;
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

    @Option(names = "--auth-method", split = ",", paramLabel = "METHOD", description = {
      "How it authenticates (repeatable): client_secret_basic, client_secret_post, client_secret_jwt, "
        + "private_key_jwt, tls_client_auth, self_signed_tls_client_auth. Default: client_secret_basic,client_secret_post."})
    List<String> authMethods;

    @Option(names = "--jwks-file", paramLabel = "FILE",
      description = "Its public keys (a JWKS), for private_key_jwt or self_signed_tls_client_auth (x5c).")
    Path jwksFile;

    @Option(names = "--jwks-uri", paramLabel = "URL", description = "Where its public keys are published (https).")
    URI jwksUri;

    @Option(names = "--tls-subject", paramLabel = "DN",
      description = "tls_client_auth: its certificate's subject DN, e.g. \"CN=app,O=Example\".")
    String tlsSubject;

    @Option(names = "--tls-san", paramLabel = "TYPE=VALUE",
      description = "tls_client_auth: a subject alternative name instead, TYPE one of dns, uri, ip, email.")
    String tlsSan;

    @Option(names = "--certificate-file", paramLabel = "PEM",
      description = "self_signed_tls_client_auth: a certificate it presents (repeatable).")
    List<Path> certificateFiles = new ArrayList<>();

    private Optional<String> secret = Optional.empty();
    private ClientKeys keys = ClientKeys.NONE;

    @Override
    void readInput() throws IOException {
      if (options.grants == null) {
        throw new IllegalArgumentException("--grants is required: password, refresh_token, client_credentials");
      }
      keys = ClientKeyFiles.read(jwksFile, jwksUri, tlsIdentity(), certificateFiles);
      if (secretFromStdin) {
        secret = Optional.of(SecretInput.read("secret", true));
      }
    }

    private Optional<TlsClientIdentity> tlsIdentity() {
      if (tlsSubject != null && tlsSan != null) {
        throw new IllegalArgumentException("give either --tls-subject or --tls-san (RFC 8705 §2.1.2: exactly one)");
      }
      if (tlsSubject != null) {
        return Optional.of(new TlsClientIdentity(TlsClientIdentity.Kind.SUBJECT_DN, tlsSubject));
      }
      if (tlsSan == null) {
        return Optional.empty();
      }
      int equals = tlsSan.indexOf('=');
      Optional<TlsClientIdentity.Kind> kind = equals < 0 ? Optional.empty()
        : TlsClientIdentity.Kind.fromValue("san_" + tlsSan.substring(0, equals).toLowerCase(java.util.Locale.ROOT));
      return Optional.of(new TlsClientIdentity(kind.orElseThrow(() -> new IllegalArgumentException(
        "--tls-san must be TYPE=VALUE with TYPE one of dns, uri, ip, email")), tlsSan.substring(equals + 1)));
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
      ClientRegistration.Registered registered = admin.clients().register(request).await();
      out.println("client_id: " + registered.client().clientId());
      registered.generatedSecret().ifPresent(generated -> printSecret(out, generated));
      SunsetNotice.print(out, registered.client(), Optional.empty(), admin.clock());
    }

    private Set<ClientAuthMethod> methods() {
      if (authMethods == null || authMethods.isEmpty()) {
        return ClientRegistration.DEFAULT_AUTH_METHODS;
      }
      Set<ClientAuthMethod> methods = EnumSet.noneOf(ClientAuthMethod.class);
      for (String name : authMethods) {
        methods.add(ClientAuthMethod.fromValue(name).orElseThrow(() ->
          new IllegalArgumentException("unknown authentication method " + name)));
      }
      return methods;
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
