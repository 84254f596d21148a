package io.tokengate.token;

import com.nimbusds.jwt.JWTClaimsSet;
import io.tokengate.client.Client;
import io.tokengate.oauth.Scopes;
import io.tokengate.user.User;
import io.tokengate.user.UserStore;
import io.vertx.core.Future;

import java.net.URI;
import java.util.List;
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
  private final UserStore users;
  private final String issuer;

  public TokenIntrospector(AccessTokenVerifier verifier, AccessTokenRevocations revocations,
                           RefreshTokens refreshTokens, UserStore users, URI issuer) {
    this.verifier = verifier;
    this.revocations = revocations;
    this.refreshTokens = refreshTokens;
    this.users = users;
    this.issuer = issuer.toString();
  }

  public Future<Introspection> introspect(String token, Optional<String> hint, Client caller) {
    if (hint.filter("refresh_token"::equals).isPresent()) {
      return refreshToken(token, caller).compose(found -> found.active() ? Future.succeededFuture(found) : accessToken(token));
    }
    return accessToken(token).compose(found -> found.active() ? Future.succeededFuture(found) : refreshToken(token, caller));
  }

  private Future<Introspection> accessToken(String token) {
    Optional<JWTClaimsSet> verified = verifier.verify(token);
    if (verified.isEmpty()) {
      return Future.succeededFuture(Introspection.inactive());
    }
    JWTClaimsSet claims = verified.get();
    return revocations.isRevoked(claims.getJWTID()).compose(revoked -> revoked
      ? Future.succeededFuture(Introspection.inactive())
      : usernameOf(claims).map(username -> new Introspection(true, Optional.of("Bearer"),
        Optional.ofNullable((String) claims.getClaim("scope")), Optional.ofNullable((String) claims.getClaim("client_id")),
        username, Optional.of(claims.getSubject()), claims.getAudience(), Optional.of(claims.getIssuer()),
        Optional.of(claims.getExpirationTime().toInstant().getEpochSecond()),
        Optional.ofNullable(claims.getIssueTime()).map(time -> time.toInstant().getEpochSecond()),
        Optional.of(claims.getJWTID()))));
  }

  private Future<Introspection> refreshToken(String token, Client caller) {
    return refreshTokens.describe(token).map(found -> found
      .filter(live -> live.clientId().equals(caller.clientId()))
      .map(live -> new Introspection(true, Optional.of("refresh_token"), Optional.of(Scopes.format(live.scopes())),
        Optional.of(live.clientId()), Optional.of(live.username()), Optional.of(live.userId().toString()), List.of(),
        Optional.of(issuer), Optional.of(live.expiresAt().getEpochSecond()),
        Optional.of(live.issuedAt().getEpochSecond()), Optional.empty()))
      .orElseGet(Introspection::inactive));
  }

  /** A user's token has the user's id as subject; a client's own token (client_credentials) has the client's. */
  private Future<Optional<String>> usernameOf(JWTClaimsSet claims) {
    String subject = claims.getSubject();
    if (subject == null || subject.equals(claims.getClaim("client_id"))) {
      return Future.succeededFuture(Optional.empty());
    }
    UUID userId;
    try {
      userId = UUID.fromString(subject);
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(Optional.empty());
    }
    return users.findById(userId).map(user -> user.map(User::username));
  }
}
