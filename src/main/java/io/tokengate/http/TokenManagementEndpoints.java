package io.tokengate.http;

import io.tokengate.client.ClientAuthenticator;
import io.tokengate.metrics.TokenLifecycleMetrics;
import io.tokengate.oauth.ClientForm;
import io.tokengate.token.Introspection;
import io.tokengate.token.TokenIntrospector;
import io.tokengate.token.TokenRevoker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;
import java.util.Optional;

/**
 * {@code POST /oauth2/introspect} (RFC 7662) and {@code POST /oauth2/revoke} (RFC 7009): the same edge checks and
 * client authentication as the token endpoint, then the token in the {@code token} parameter.
 */
final class TokenManagementEndpoints {

  static final String INTROSPECT_PATH = "/oauth2/introspect";
  static final String REVOKE_PATH = "/oauth2/revoke";

  private final FormRequestReader reader;
  private final ClientAuthenticator clients;
  private final TokenIntrospector introspector;
  private final TokenRevoker revoker;
  private final TokenLifecycleMetrics metrics;

  TokenManagementEndpoints(FormRequestReader reader, ClientAuthenticator clients, TokenIntrospector introspector,
                           TokenRevoker revoker, TokenLifecycleMetrics metrics) {
    this.reader = reader;
    this.clients = clients;
    this.introspector = introspector;
    this.revoker = revoker;
    this.metrics = metrics;
  }

  void introspect(RoutingContext context) {
    reader.read(context.request())
      .compose(form -> clients.authenticate(form)
        .compose(client -> introspector.introspect(form.parameters().required("token"), hint(form), client)))
      .onSuccess(introspection -> {
        metrics.introspection(introspection.active());
        Responses.noStore(context.response(), 200, toJson(introspection));
      })
      .onFailure(failure -> ErrorResponder.respond(context, failure));
  }

  void revoke(RoutingContext context) {
    reader.read(context.request())
      .compose(form -> clients.authenticate(form)
        .compose(client -> revoker.revoke(form.parameters().required("token"), hint(form), client)))
      .onSuccess(revoked -> {
        metrics.revocation(revoked.name().toLowerCase(Locale.ROOT));
        context.response().setStatusCode(200)
          .putHeader("Cache-Control", "no-store")
          .putHeader("Pragma", "no-cache")
          .end();
      })
      .onFailure(failure -> ErrorResponder.respond(context, failure));
  }

  /** An unknown hint is ignored (RFC 7009 §2.1 and RFC 7662 §2.1 let the server search all token types). */
  private static Optional<String> hint(ClientForm form) {
    return form.parameters().optional("token_type_hint");
  }

  private static JsonObject toJson(Introspection introspection) {
    JsonObject json = new JsonObject().put("active", introspection.active());
    introspection.userClaims().forEach(json::put);
    introspection.scope().ifPresent(scope -> json.put("scope", scope));
    introspection.clientId().ifPresent(clientId -> json.put("client_id", clientId));
    introspection.username().ifPresent(username -> json.put("username", username));
    introspection.tokenType().ifPresent(type -> json.put("token_type", type));
    introspection.expiresAt().ifPresent(exp -> json.put("exp", exp));
    introspection.issuedAt().ifPresent(iat -> json.put("iat", iat));
    introspection.subject().ifPresent(sub -> json.put("sub", sub));
    if (!introspection.audience().isEmpty()) {
      json.put("aud", introspection.audience().size() == 1 ? introspection.audience().get(0)
        : new JsonArray(introspection.audience()));
    }
    introspection.issuer().ifPresent(iss -> json.put("iss", iss));
    introspection.jti().ifPresent(jti -> json.put("jti", jti));
    if (!introspection.confirmation().isEmpty()) {
      json.put("cnf", new JsonObject(introspection.confirmation()));
    }
    return json;
  }
}
