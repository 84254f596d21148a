package io.tokengate.http;

import io.tokengate.client.ClientAuthenticator;
import io.tokengate.dpop.DpopProof;
import io.tokengate.grant.GrantTypes;
import io.tokengate.grant.Grants;
import io.tokengate.grant.SenderConstraints;
import io.tokengate.logging.AuditLog;
import io.tokengate.metrics.TokenRequestMetrics;
import io.tokengate.oauth.OAuthException;
import io.tokengate.oauth.TokenRequest;
import io.tokengate.token.IssuedTokens;
import io.tokengate.usage.PasswordGrantUsage;
import io.tokengate.user.UsernameDigests;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;

/**
 * {@code POST /oauth2/token}: read the request, authenticate the client, let the grant issue tokens, answer.
 * Shared by every verticle instance; it holds no per-request state.
 */
final class TokenEndpoint implements Handler<RoutingContext> {

  private final FormRequestReader reader;
  private final ClientAuthenticator clients;
  private final Grants grants;
  private final SenderConstraints senderConstraints;
  private final RequestLimits limits;
  private final AuditLog audit;
  private final TokenRequestMetrics metrics;
  private final SunsetHeaders sunsetHeaders;
  private final PasswordGrantUsage passwordGrantUsage;
  private final UsernameDigests usernames;

  TokenEndpoint(FormRequestReader reader, ClientAuthenticator clients, Grants grants,
                SenderConstraints senderConstraints, RequestLimits limits, AuditLog audit,
                TokenRequestMetrics metrics, SunsetHeaders sunsetHeaders, PasswordGrantUsage passwordGrantUsage,
                UsernameDigests usernames) {
    this.usernames = usernames;
    this.reader = reader;
    this.clients = clients;
    this.grants = grants;
    this.senderConstraints = senderConstraints;
    this.limits = limits;
    this.audit = audit;
    this.metrics = metrics;
    this.sunsetHeaders = sunsetHeaders;
    this.passwordGrantUsage = passwordGrantUsage;
  }

  @Override
  public void handle(RoutingContext context) {
    TokenDecision decision = new TokenDecision(RequestIds.assign(context), RequestLimits.source(context), usernames);
    reader.read(context.request())
      .map(TokenRequest::of)
      .onFailure(failure -> fail(context, decision, null, failure))
      .onSuccess(request -> issue(request, decision, context.response())
        .onSuccess(tokens -> {
          metrics.issued(request.grantType());
          // Counted before the answer leaves: whoever has the answer finds it in the next flush.
          if (isPasswordGrant(request)) {
            passwordGrantUsage.issued(decision.client(), tokens.subject());
          }
          Responses.noStore(context.response(), 200, toJson(tokens));
          audit.record(decision.issued(request, tokens));
        })
        .onFailure(failure -> fail(context, decision, request, failure)));
  }

  /** Cheap checks first: the grant type and the DPoP proof's form cost no query and no hash. */
  private Future<IssuedTokens> issue(TokenRequest request, TokenDecision decision, HttpServerResponse response) {
    Optional<DpopProof> proof;
    try {
      grants.requireSupported(request.grantType());
      proof = senderConstraints.checkProof(request);
    } catch (OAuthException e) {
      return Future.failedFuture(e);
    }
    return clients.authenticate(request).compose(client -> {
      decision.authenticated(client);
      if (isPasswordGrant(request)) {
        // Every answer from here on, tokens or an error, tells a client with a sunset when its grant ends.
        client.passwordGrantSunset().ifPresent(sunset -> sunsetHeaders.put(response, sunset));
      }
      limits.perClient(client);
      return senderConstraints.confirm(request, client, proof)
        .compose(confirmation -> grants.handle(request, client, confirmation));
    });
  }

  private void fail(RoutingContext context, TokenDecision decision, TokenRequest request, Throwable failure) {
    if (request != null && decision.client() != null && isPasswordGrant(request)) {
      passwordGrantUsage.failed(decision.client());
    }
    String outcome = ErrorResponder.respond(context, failure);
    metrics.failed(request == null ? null : request.grantType(), outcome);
    audit.record(decision.failed(request, outcome, failure));
  }

  private static boolean isPasswordGrant(TokenRequest request) {
    return GrantTypes.PASSWORD.equals(request.grantType());
  }

  private static JsonObject toJson(IssuedTokens tokens) {
    JsonObject json = new JsonObject()
      .put("access_token", tokens.accessToken())
      .put("token_type", tokens.tokenType())
      .put("expires_in", tokens.expiresIn());
    tokens.refreshToken().ifPresent(token -> json.put("refresh_token", token));
    tokens.scope().ifPresent(scope -> json.put("scope", scope));
    tokens.idToken().ifPresent(token -> json.put("id_token", token));
    return json;
  }

  /** Any method but POST (RFC 6749 §3.2). */
  static void methodNotAllowed(RoutingContext context) {
    context.fail(OAuthException.methodNotAllowed());
  }
}
