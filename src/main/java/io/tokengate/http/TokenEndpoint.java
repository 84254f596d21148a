package io.tokengate.http;

import io.tokengate.user.UsernameDigests;
import io.tokengate.audit.AuditLog;
import io.tokengate.client.ClientAuthenticator;
import io.tokengate.dpop.DpopProof;
import io.tokengate.grant.Grants;
import io.tokengate.grant.SenderConstraints;
import io.tokengate.metrics.TokenRequestMetrics;
import io.tokengate.oauth.OAuthException;
import io.tokengate.oauth.TokenRequest;
import io.tokengate.token.IssuedTokens;
import io.vertx.core.Future;
import io.vertx.core.Handler;
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
  private final UsernameDigests usernames;

  TokenEndpoint(FormRequestReader reader, ClientAuthenticator clients, Grants grants,
                SenderConstraints senderConstraints, RequestLimits limits, AuditLog audit,
                TokenRequestMetrics metrics, UsernameDigests usernames) {
    this.usernames = usernames;
    this.reader = reader;
    this.clients = clients;
    this.grants = grants;
    this.senderConstraints = senderConstraints;
    this.limits = limits;
    this.audit = audit;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext context) {
    TokenDecision decision = new TokenDecision(RequestIds.assign(context), RequestLimits.source(context), usernames);
    reader.read(context.request())
      .map(TokenRequest::of)
      .onFailure(failure -> fail(context, decision, null, failure))
      .onSuccess(request -> issue(request, decision)
        .onSuccess(tokens -> {
          metrics.issued(request.grantType());
          Responses.noStore(context.response(), 200, toJson(tokens));
          audit.record(decision.issued(request, tokens));
        })
        .onFailure(failure -> fail(context, decision, request, failure)));
  }

  /** Cheap checks first: the grant type and the DPoP proof's form cost no query and no hash. */
  private Future<IssuedTokens> issue(TokenRequest request, TokenDecision decision) {
    Optional<DpopProof> proof;
    try {
      grants.requireSupported(request.grantType());
      proof = senderConstraints.checkProof(request);
    } catch (OAuthException e) {
      return Future.failedFuture(e);
    }
    return clients.authenticate(request).compose(client -> {
      decision.authenticated(client);
      limits.perClient(client);
      return senderConstraints.confirm(request, client, proof)
        .compose(confirmation -> grants.handle(request, client, confirmation));
    });
  }

  private void fail(RoutingContext context, TokenDecision decision, TokenRequest request, Throwable failure) {
    String outcome = ErrorResponder.respond(context, failure);
    metrics.failed(request == null ? null : request.grantType(), outcome);
    audit.record(decision.failed(request, outcome, failure));
  }

  private static JsonObject toJson(IssuedTokens tokens) {
    JsonObject json = new JsonObject()
      .put("access_token", tokens.accessToken())
      .put("token_type", tokens.tokenType())
      .put("expires_in", tokens.expiresIn());
    tokens.refreshToken().ifPresent(token -> json.put("refresh_token", token));
    tokens.scope().ifPresent(scope -> json.put("scope", scope));
    return json;
  }

  /** Any method but POST (RFC 6749 §3.2). */
  static void methodNotAllowed(RoutingContext context) {
    context.fail(OAuthException.methodNotAllowed());
  }
}
