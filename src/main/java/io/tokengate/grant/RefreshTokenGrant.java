package io.tokengate.grant;

import io.tokengate.claims.RegistrationCache;
import io.tokengate.claims.Registrations;
import io.tokengate.claims.ResourcePolicy;
import io.tokengate.claims.ResourceRegistration;
import io.tokengate.claims.ScopePolicy;
import io.tokengate.client.Client;
import io.tokengate.metrics.TokenLifecycleMetrics;
import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.tokengate.oauth.Parameters;
import io.tokengate.oauth.Scopes;
import io.tokengate.oauth.TokenRequest;
import io.tokengate.token.Confirmation;
import io.tokengate.token.IssuedTokens;
import io.tokengate.token.RefreshOutcome;
import io.tokengate.token.RefreshTokens;
import io.tokengate.user.UserProfile;
import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The refresh token grant (RFC 6749 §6), with rotation: every use returns a successor and retires the token. */
public final class RefreshTokenGrant implements GrantHandler {

  /** One answer for unknown, expired, revoked, replayed and foreign tokens: none of them is the client's business. */
  static final String REFUSED = "the refresh token is invalid, expired or revoked";
  /** Said only to the client the token belongs to; nothing changes, so that a thief cannot revoke the session. */
  static final String DPOP_BOUND = "the refresh token is bound to a DPoP key: send a proof signed with that key";

  private final RefreshTokens refreshTokens;
  private final BearerTokens tokens;
  private final TokenLifecycleMetrics metrics;
  private final RegistrationCache registrations;

  RefreshTokenGrant(RefreshTokens refreshTokens, BearerTokens tokens, TokenLifecycleMetrics metrics,
                    RegistrationCache registrations) {
    this.refreshTokens = refreshTokens;
    this.tokens = tokens;
    this.metrics = metrics;
    this.registrations = registrations;
  }

  @Override
  public String grantType() {
    return GrantTypes.REFRESH_TOKEN;
  }

  @Override
  public Future<IssuedTokens> handle(TokenRequest request, Client client, Confirmation confirmation) {
    return Future.succeededFuture(request.parameters())
      .map(RefreshRequest::of)
      .compose(refresh -> registrations.current().compose(current -> {
        List<ResourceRegistration> asked = ResourcePolicy.requested(refresh.resources(), current);
        return refreshTokens.rotate(refresh.token(), client, refresh.scopes(), confirmation.dpopKeyThumbprint(),
            (scopes, user, familyResources) -> narrowed(scopes, user, familyResources, asked, refresh, current))
          .compose(this::rotated)
          .map(rotated -> issue(refresh, rotated, client, confirmation, asked, current));
      }));
  }

  /**
   * Decided under the family's lock: the resources asked for must be among the grant's (RFC 8707 §2.2; asking for
   * one when the grant had none is invalid_target); the scopes are narrowed to those resources and to the groups the
   * user is in now. Nothing left of scopes the grant had is invalid_scope, and nothing is written.
   */
  private static Set<String> narrowed(Set<String> scopes, UserProfile user, List<String> familyResources,
                                      List<ResourceRegistration> asked, RefreshRequest refresh,
                                      Registrations registrations) {
    for (ResourceRegistration resource : asked) {
      if (!familyResources.contains(resource.uri())) {
        throw OAuthException.of(OAuthError.INVALID_TARGET, familyResources.isEmpty()
          ? "the original grant named no resource" : "the resource was not part of the original grant")
          .because("resource_not_granted");
      }
    }
    Set<String> forResources = ResourcePolicy.scopesFor(scopes, asked, registrations,
      refresh.scopes().filter(requested -> !requested.isEmpty()).isPresent());
    Set<String> granted = ScopePolicy.forUser(forResources, user.groups(), registrations);
    if (granted.isEmpty() && !scopes.isEmpty()) {
      throw OAuthException.of(OAuthError.INVALID_SCOPE, "the user may no longer have any of the scopes")
        .because("scope_denied_by_group");
    }
    return granted;
  }

  /** The token presented, the scope and resources asked for; a missing token fails the future, never the caller. */
  private record RefreshRequest(String token, Optional<Set<String>> scopes, List<String> resources) {
    static RefreshRequest of(Parameters parameters) {
      return new RefreshRequest(parameters.required("refresh_token"), parameters.optional("scope").map(Scopes::parse),
        parameters.resources());
    }
  }

  private Future<RefreshTokens.Rotated> rotated(RefreshTokens.Rotation rotation) {
    if (rotation instanceof RefreshTokens.Refused refused) {
      metrics.refresh(refused.outcome().label());
      return Future.failedFuture(refused.outcome() == RefreshOutcome.DPOP_KEY_MISMATCH
        ? OAuthException.of(OAuthError.INVALID_DPOP_PROOF, DPOP_BOUND).because(refused.outcome().label())
        : OAuthException.invalidGrant(REFUSED).because(refused.outcome().label()));
    }
    RefreshTokens.Rotated rotated = (RefreshTokens.Rotated) rotation;
    metrics.refresh(rotated.outcome().label());
    return Future.succeededFuture(rotated);
  }

  private IssuedTokens issue(RefreshRequest refresh, RefreshTokens.Rotated rotated, Client client,
                             Confirmation confirmation, List<ResourceRegistration> asked, Registrations current) {
    // RFC 6749 §6: an omitted scope means the scope originally granted.
    Set<String> requested = refresh.scopes().filter(scopes -> !scopes.isEmpty()).orElse(rotated.tokenScopes());
    // RFC 8707 §2.2: without resource, the token is for the resources of the original grant.
    List<ResourceRegistration> resources = asked.isEmpty()
      ? rotated.resources().stream().flatMap(uri -> current.resource(uri).stream()).toList() : asked;
    BearerTokens.UserGrant grant = new BearerTokens.UserGrant(rotated.userId(), rotated.profile(), rotated.granted(),
      BearerTokens.responseScope(rotated.granted(), requested), resources, current,
      Optional.of(rotated.authentication()));
    return tokens.issue(grant, client, Optional.of(new RefreshTokens.Started(rotated.familyId(),
      rotated.newToken())), confirmation);
  }
}
