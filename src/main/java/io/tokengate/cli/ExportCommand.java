package io.tokengate.cli;

import io.tokengate.claims.ResourceRegistration;
import io.tokengate.claims.ScopeRegistration;
import io.tokengate.client.Client;
import io.tokengate.store.RegistrationStore;
import io.tokengate.client.ClientAuthMethod;
import io.tokengate.config.Durations;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "export", description = {
  "Print every client registration in the format of `tokengate apply -f` (docs/declarative-registrations.md). No "
    + "secret is exported: secret_file (and jwks_file, certificate_files for keys registered from files) is left "
    + "empty for the operator to fill."})
final class ExportCommand extends AdminCommand {

  @Override
  void run(AdminContext admin, PrintWriter out) {
    Map<String, Object> clients = new LinkedHashMap<>();
    for (Client client : admin.clientStore().list().await()) {
      clients.put(client.clientId(), fields(client));
    }
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setIndicatorIndent(0);
    out.println("# tokengate export: the client registrations, for `tokengate apply -f`. No secrets: fill in each");
    out.println("# empty secret_file (and jwks_file / certificate_files) before applying.");
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("clients", clients);
    Map<String, Object> scopes = new LinkedHashMap<>();
    RegistrationStore registrations = new RegistrationStore(admin.pool());
    for (ScopeRegistration scope : registrations.scopes().await()) {
      Map<String, Object> fields = new LinkedHashMap<>();
      if (!scope.requiredGroups().isEmpty()) {
        fields.put("requires_groups", List.copyOf(scope.requiredGroups()));
      }
      if (!scope.claims().isEmpty()) {
        fields.put("claims", new LinkedHashMap<>(scope.claims().claims()));
      }
      scope.description().ifPresent(description -> fields.put("description", description));
      scopes.put(scope.name(), fields);
    }
    root.put("scopes", scopes);
    Map<String, Object> resources = new LinkedHashMap<>();
    for (ResourceRegistration resource : registrations.resources().await()) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("scopes", List.copyOf(resource.scopes()));
      resource.accessTokenLifetime().ifPresent(lifetime -> fields.put("access_token_lifetime",
        Durations.format(lifetime)));
      resources.put(resource.uri(), fields);
    }
    root.put("resources", resources);
    out.print(new Yaml(options).dump(root));
  }

  /** Only what differs from create's defaults, in the order of the documented fields. */
  static Map<String, Object> fields(Client client) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("grants", client.grantTypes().stream().sorted().toList());
    if (!client.scopes().isEmpty()) {
      fields.put("scopes", client.scopes());
    }
    if (!client.defaultScopes().isEmpty()) {
      fields.put("default_scopes", client.defaultScopes());
    }
    fields.put("auth_methods", client.authMethods().stream().map(ClientAuthMethod::value).sorted().toList());
    if (client.authMethods().stream().anyMatch(ClientAuthMethod::usesSecret)) {
      fields.put("secret_file", "");
    }
    client.keys().jwks().ifPresent(jwks -> fields.put("jwks_file", ""));
    client.keys().jwksUri().ifPresent(uri -> fields.put("jwks_uri", uri.toString()));
    client.keys().tlsIdentity().ifPresent(identity -> {
      if (identity.kind().value().equals("subject_dn")) {
        fields.put("tls_subject", identity.value());
      } else {
        fields.put("tls_san", identity.kind().value().substring("san_".length()) + "=" + identity.value());
      }
    });
    if (!client.keys().certificateThumbprints().isEmpty()) {
      fields.put("certificate_files", List.of());
    }
    client.accessTokenTtl().ifPresent(value -> fields.put("access_token_lifetime", Durations.format(value)));
    client.refreshTokenTtl().ifPresent(value -> fields.put("refresh_token_lifetime", Durations.format(value)));
    client.refreshTokenIdle().ifPresent(value -> fields.put("refresh_token_idle_timeout", Durations.format(value)));
    if (client.certificateBound()) {
      fields.put("certificate_bound_tokens", true);
    }
    if (client.requiresDpop()) {
      fields.put("require_dpop", true);
    }
    if (!client.otpPolicy().value().equals("if-enrolled")) {
      fields.put("otp_policy", client.otpPolicy().value());
    }
    client.rateLimit().ifPresent(limit -> fields.put("rate_limit", limit));
    client.passwordGrantSunset().ifPresent(sunset -> fields.put("password_grant_sunset",
      SunsetDate.format(sunset.sunsetAt())));
    return fields;
  }
}
