package io.tokengate.cli;

import io.tokengate.client.Client;
import io.tokengate.client.ClientAuthMethod;
import io.tokengate.config.Durations;
import io.tokengate.user.User;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The JSON of {@code --output json}: stable field names, documented in docs/cli-output.md. Never a secret, a hash or
 * key material; durations as the configuration writes them ({@code 10m}), null where the configured default applies.
 */
final class RecordJson {

  private RecordJson() {
  }

  static JsonObject client(Client client) {
    return new JsonObject()
      .put("client_id", client.clientId())
      .put("enabled", client.enabled())
      .put("auth_methods", new JsonArray(client.authMethods().stream().map(ClientAuthMethod::value).sorted().toList()))
      .put("grant_types", new JsonArray(client.grantTypes().stream().sorted().toList()))
      .put("scopes", new JsonArray(client.scopes()))
      .put("default_scopes", new JsonArray(client.defaultScopes()))
      .put("access_token_lifetime", duration(client.accessTokenTtl()))
      .put("refresh_token_lifetime", duration(client.refreshTokenTtl()))
      .put("refresh_token_idle_timeout", duration(client.refreshTokenIdle()))
      .put("jwks_uri", client.keys().jwksUri().map(Object::toString).orElse(null))
      .put("jwks_kids", client.keys().jwks().map(jwks -> new JsonArray(jwks.getKeys().stream()
        .map(key -> key.getKeyID()).toList())).orElse(null))
      .put("tls_client_auth", client.keys().tlsIdentity().map(identity -> new JsonObject()
        .put("kind", identity.kind().value()).put("value", identity.value())).orElse(null))
      .put("certificate_thumbprints", new JsonArray(client.keys().certificateThumbprints().stream().toList()))
      .put("certificate_bound_tokens", client.certificateBound())
      .put("require_dpop", client.requiresDpop())
      .put("otp_policy", client.otpPolicy().value())
      .put("rate_limit", client.rateLimit().orElse(null))
      .put("password_grant_sunset", client.passwordGrantSunset()
        .map(sunset -> SunsetDate.format(sunset.sunsetAt())).orElse(null));
  }

  static JsonObject user(User user) {
    return new JsonObject()
      .put("id", user.id().toString())
      .put("username", user.username())
      .put("enabled", user.enabled())
      .put("second_factor", user.hasSecondFactor() ? "totp" : null)
      .put("attributes", user.profile().attributesJson())
      .put("groups", new io.vertx.core.json.JsonArray(List.copyOf(user.profile().groups())));
  }

  private static String duration(Optional<Duration> duration) {
    return duration.map(Durations::format).orElse(null);
  }
}
