package io.tokengate.token;

import com.nimbusds.jwt.JWTClaimsSet;
import io.tokengate.claims.Subjects;
import io.tokengate.client.Client;
import io.tokengate.client.ClientCache;
import io.tokengate.oauth.Scopes;
import io.tokengate.user.User;
import io.tokengate.user.UserRecords;
import io.vertx.core.Future;

import java.net.URI;
import java.util.List;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Introspection (RFC 7662) of both kinds of token. Any authenticated client may introspect an access token (it is
 * how resource servers use it); a refresh token is reported active only to the client it was issued to. The
 * {@code token_type_hint} chooses which kind is tried first, never which kinds are tried.
 */
public final class TokenIntrospector {

  private final AccessTokenVerifier verifier;
  private final AccessTokenRevocations revocations;
  private final RefreshTokens refreshTokens;
  private final UserRecords users;
  private final String issuer;
  private final ClientCache clients;
  private final Subjects subjects;

  /**
   * @param clients  the clients, whose subject type says how a token's {@code sub} leads back to its user
   * @param subjects public and pairwise subjects
   */
  public TokenIntrospector(AccessTokenVerifier verifier, AccessTokenRevocations revocations,
                           RefreshTokens refreshTokens, UserRecords users, URI issuer, ClientCache clients,
                           Subjects subjects) {
    this.verifier = verifier;
    this.revocations = revocations;
    this.refreshTokens = refreshTokens;
    this.users = users;
    this.issuer = issuer.toString();
    this.clients = clients;
    this.subjects = subjects;
  }

  /** The claims of an access token that are neither RFC 7519's, RFC 9068's nor tokengate's own: the mapped ones. */
  private static Map<String, Object> userClaims(JWTClaimsSet claims) {
    Map<String, Object> mapped = new java.util.LinkedHashMap<>(claims.getClaims());
    mapped.keySet().removeIf(io.tokengate.oauth.OwnedClaims::isOwned);
    mapped.replaceAll((name, value) -> value instanceof java.util.Date date ? date.getTime() / 1000 : value);
    return mapped;
  }

  public Future<Introspection> introspect(String token, Optional<String> hint, Client caller) {
    if (hint.filter("refresh_token"::equals).isPresent()) {
      return refreshToken(token, caller).compose(found -> found.active() ? Future.succeededFuture(found) : accessToken(token));
    }
    return accessToken(token).compose(found -> found.active() ? Future.succeededFuture(found) : refreshToken(token, caller));
  }

  /**
   * Active when it verifies, its jti was not revoked, its refresh-token family (if it has one) was not revoked, and
   * its user (if it is a user's token) still exists and is enabled.
   */
  private Future<Introspection> accessToken(String token) {
    Optional<JWTClaimsSet> verified = verifier.verify(token);
    if (verified.isEmpty()) {
      return Future.succeededFuture(Introspection.inactive());
    }
    JWTClaimsSet claims = verified.get();
    return revocations.isRevoked(claims.getJWTID())
      .compose(revoked -> revoked ? Future.succeededFuture(true) : familyRevoked(claims))
      .compose(revoked -> revoked ? Future.succeededFuture(Optional.<Owner>empty()) : owner(claims))
      .map(owner -> owner.map(found -> new Introspection(true, Optional.of(tokenType(claims)),
        Optional.ofNullable((String) claims.getClaim("scope")), Optional.ofNullable((String) claims.getClaim("client_id")),
        found.username(), Optional.of(claims.getSubject()), claims.getAudience(), Optional.of(claims.getIssuer()),
        Optional.of(claims.getExpirationTime().toInstant().getEpochSecond()),
        Optional.ofNullable(claims.getIssueTime()).map(time -> time.toInstant().getEpochSecond()),
        Optional.of(claims.getJWTID()), confirmation(claims), userClaims(claims))).orElseGet(Introspection::inactive));
  }

  private static Map<String, Object> confirmation(JWTClaimsSet claims) {
    try {
      Map<String, Object> cnf = claims.getJSONObjectClaim(Confirmation.CLAIM);
      return cnf == null ? Map.of() : cnf;
    } catch (ParseException e) {
      return Map.of();
    }
  }

  private static String tokenType(JWTClaimsSet claims) {
    return confirmation(claims).containsKey("jkt") ? "DPoP" : "Bearer";
  }

  private Future<Boolean> familyRevoked(JWTClaimsSet claims) {
    Optional<UUID> family = uuid(claims.getClaim(AccessTokenIssuer.SESSION_CLAIM));
    return family.isEmpty() ? Future.succeededFuture(false) : refreshTokens.isRevoked(family.get());
  }

  /** Who a live token speaks for: a user (with a username) or, for client_credentials, the client itself. */
  private record Owner(Optional<String> username) {
  }

  /** Empty when the token's user no longer exists or is disabled. */
  private Future<Optional<Owner>> owner(JWTClaimsSet claims) {
    String subject = claims.getSubject();
    if (subject == null || subject.equals(claims.getClaim("client_id"))) {
      return Future.succeededFuture(Optional.of(new Owner(Optional.empty())));
    }
    Object clientId = claims.getClaim("client_id");
    return clients.find(clientId instanceof String id ? id : "").compose(client -> {
      Optional<UUID> userId = client.flatMap(found -> subjects.userOf(found.pairwiseSector(), subject));
      if (userId.isEmpty()) {
        return Future.succeededFuture(Optional.<Owner>empty());
      }
      return users.findById(userId.get()).map(user -> user.filter(User::enabled)
        .map(enabled -> new Owner(Optional.of(enabled.username()))));
    });
  }

  private static Optional<UUID> uuid(Object value) {
    if (!(value instanceof String text)) {
      return Optional.empty();
    }
    try {
      return Optional.of(UUID.fromString(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private Future<Introspection> refreshToken(String token, Client caller) {
    return refreshTokens.describe(token).map(found -> found
      .filter(live -> live.clientId().equals(caller.clientId()))
      .map(live -> new Introspection(true, Optional.of("refresh_token"), Optional.of(Scopes.format(live.scopes())),
        Optional.of(live.clientId()), Optional.of(live.username()),
        Optional.of(subjects.of(caller.pairwiseSector(), live.userId())), List.of(),
        Optional.of(issuer), Optional.of(live.expiresAt().getEpochSecond()),
        Optional.of(live.issuedAt().getEpochSecond()), Optional.empty(), Map.of(), Map.of()))
      .orElseGet(Introspection::inactive));
  }
}
