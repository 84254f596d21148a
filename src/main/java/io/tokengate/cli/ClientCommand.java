package io.tokengate.cli;

import io.tokengate.client.ClientRegistration;
import io.tokengate.config.Durations;
import io.tokengate.oauth.Scopes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "client", description = "Manage clients.", subcommands = ClientCommand.Create.class)
final class ClientCommand {

  @Command(name = "create", description = {
    "Register a confidential client. Without --secret-stdin a 256-bit secret is generated and printed once."})
  static final class Create implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CLIENT_ID")
    String clientId;

    @Option(names = "--grants", required = true, split = ",", paramLabel = "GRANT",
      description = "Grant types the client may use: password, refresh_token, client_credentials.")
    List<String> grants;

    @Option(names = "--scopes", paramLabel = "\"S1 S2\"", description = "Scopes the client may ask for.")
    String scopes = "";

    @Option(names = "--default-scopes", paramLabel = "\"S1\"", description = "Scopes granted when it asks for none.")
    String defaultScopes = "";

    @Option(names = "--access-token-lifetime", paramLabel = "DURATION",
      description = "Its access-token lifetime, e.g. 10m (default: tokens.access_token_lifetime).")
    String accessTokenLifetime;

    @Option(names = "--secret-stdin", description = "Read a chosen secret from standard input instead.")
    boolean secretFromStdin;

    @Override
    public Integer call() throws IOException {
      Optional<String> secret = secretFromStdin ? Optional.of(SecretInput.read("secret", true)) : Optional.empty();
      ClientRegistration.Request request = new ClientRegistration.Request(clientId, new LinkedHashSet<>(grants),
        new ArrayList<>(Scopes.parse(scopes)), new ArrayList<>(Scopes.parse(defaultScopes)), secret,
        Optional.ofNullable(accessTokenLifetime).map(Durations::parse));
      try (AdminContext admin = AdminContext.open(config.load())) {
        ClientRegistration.Registered registered = admin.clients().register(request).await();
        spec.commandLine().getOut().println("client_id: " + registered.client().clientId());
        registered.generatedSecret().ifPresent(generated -> {
          spec.commandLine().getOut().println("client_secret: " + generated);
          spec.commandLine().getOut().println("(shown once: only its hash is stored)");
        });
        return 0;
      }
    }
  }
}
