package io.tokengate.grant;

import io.tokengate.claims.AccessTokenClaims;
import io.tokengate.claims.IdTokenClaims;
import io.tokengate.claims.Registrations;
import io.tokengate.claims.ResourcePolicy;
import io.tokengate.claims.ResourceRegistration;
import io.tokengate.claims.Subjects;
import io.tokengate.client.Client;
import io.tokengate.oauth.Scopes;
import io.tokengate.token.AccessTokenIssuer;
import io.tokengate.token.Confirmation;
import io.tokengate.token.IdTokenIssuer;
import io.tokengate.token.IssuedTokens;
import io.tokengate.token.RefreshTokens;
import io.tokengate.user.UserProfile;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The response every grant ends with: an access token for the client's lifetime (or the shorter one of its
 * resources) — a bearer token, or one bound to the client's certificate or DPoP key — with the user's mapped claims,
 * and for {@code openid} an ID token.
 */
final class BearerTokens {

  static final String OPENID = "openid";

  /** What a grant decided a user's tokens say. */
  record UserGrant(UUID userId, UserProfile profile, Set<String> scopes, Optional<String> responseScope,
                   List<ResourceRegistration> resources, Registrations registrations,
                   Optional<IdTokenIssuer.Authentication> authentication) {
  }

  private final AccessTokenIssuer issuer;
  private final IdTokenIssuer idTokens;
  private final Duration defaultLifetime;
  private final AccessTokenClaims accessTokenClaims;
  private final IdTokenClaims idTokenClaims;
  private final Subjects subjects;

  BearerTokens(AccessTokenIssuer issuer, IdTokenIssuer idTokens, Duration defaultLifetime,
               AccessTokenClaims accessTokenClaims, IdTokenClaims idTokenClaims, Subjects subjects) {
    this.issuer = issuer;
    this.idTokens = idTokens;
    this.defaultLifetime = defaultLifetime;
    this.accessTokenClaims = accessTokenClaims;
    this.idTokenClaims = idTokenClaims;
    this.subjects = subjects;
  }

  /** A client's own token (client_credentials): no user, no family, no user claims. */
  IssuedTokens issue(Client client, Set<String> granted, Optional<String> responseScope,
                     List<ResourceRegistration> resources, Confirmation confirmation) {
    Duration lifetime = lifetime(client, resources);
    String accessToken = issuer.issue(client.clientId(), client.clientId(), granted, lifetime, Optional.empty(),
      confirmation, ResourcePolicy.uris(resources), Map.of());
    return new IssuedTokens(accessToken, confirmation.tokenType(), lifetime.toSeconds(), responseScope,
      Optional.empty(), client.clientId());
  }

  /** A user's tokens; with a refresh-token family when the client keeps sessions. */
  IssuedTokens issue(UserGrant grant, Client client, Optional<RefreshTokens.Started> session,
                     Confirmation confirmation) {
    Duration lifetime = lifetime(client, grant.resources());
    String subject = subjects.of(client.pairwiseSector(), grant.userId());
    String accessToken = issuer.issue(subject, client.clientId(), grant.scopes(), lifetime,
      session.map(RefreshTokens.Started::familyId), confirmation, ResourcePolicy.uris(grant.resources()),
      accessTokenClaims.of(grant.profile(), client.tokenProfile().claims(), grant.scopes(), grant.registrations()));
    Optional<String> idToken = grant.authentication().filter(authentication -> grant.scopes().contains(OPENID))
      .map(authentication -> idTokens.issue(subject, client.clientId(), authentication, accessToken, lifetime,
        idTokenClaims.of(grant.profile(), grant.scopes())));
    // The audit log keeps the internal user id, whatever subject the tokens carry.
    return new IssuedTokens(accessToken, confirmation.tokenType(), lifetime.toSeconds(), grant.responseScope(),
      session.map(RefreshTokens.Started::token), grant.userId().toString(), idToken);
  }

  private Duration lifetime(Client client, List<ResourceRegistration> resources) {
    return ResourcePolicy.lifetime(client.accessTokenTtl().orElse(defaultLifetime), resources);
  }

  static Optional<String> responseScope(Set<String> granted, Set<String> requested) {
    return granted.equals(requested) ? Optional.empty() : Optional.of(Scopes.format(granted));
  }
}
