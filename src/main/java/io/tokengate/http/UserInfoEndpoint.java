package io.tokengate.http;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tokengate.claims.IdTokenClaims;
import io.tokengate.claims.Subjects;
import io.tokengate.client.Client;
import io.tokengate.client.ClientCache;
import io.tokengate.dpop.DpopProof;
import io.tokengate.dpop.DpopProofVerifier;
import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.tokengate.oauth.Scopes;
import io.tokengate.token.AccessTokenIssuer;
import io.tokengate.token.AccessTokenRevocations;
import io.tokengate.token.AccessTokenVerifier;
import io.tokengate.token.Confirmation;
import io.tokengate.token.RefreshTokens;
import io.tokengate.user.User;
import io.tokengate.user.UserRecords;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The OpenID Connect userinfo endpoint (OIDC Core §5.3), a protected resource: the access token comes as a Bearer
 * token (RFC 6750 §2.1) or, when it is bound to a DPoP key, with a proof by that key (RFC 9449 §7). Failures are
 * RFC 6750 §3.1 errors with {@code WWW-Authenticate} (ErrorResponder writes them).
 */
final class UserInfoEndpoint {

  static final String PATH = "/oauth2/userinfo";

  /** What userinfo needs from the rest of the server. */
  record Parts(AccessTokenVerifier verifier, AccessTokenRevocations revocations, RefreshTokens refreshTokens,
               ClientCache clients, Subjects subjects, UserRecords users, IdTokenClaims claims,
               DpopProofVerifier dpop, String endpointUrl) {
  }

  private final Parts parts;

  UserInfoEndpoint(Parts parts) {
    this.parts = parts;
  }

  private record Presented(String scheme, String token) {
  }

  void handle(RoutingContext context) {
    Future.succeededFuture(context)
      .map(UserInfoEndpoint::presented)
      .compose(presented -> verified(context, presented))
      .compose(this::answer)
      .onSuccess(body -> Responses.noStore(context.response(), 200, body))
      .onFailure(context::fail);
  }

  private static Presented presented(RoutingContext context) {
    String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization == null) {
      throw invalidToken("send the access token in the Authorization header");
    }
    int space = authorization.indexOf(' ');
    String scheme = space < 0 ? authorization : authorization.substring(0, space);
    String token = space < 0 ? "" : authorization.substring(space + 1).strip();
    if (!scheme.equalsIgnoreCase("Bearer") && !scheme.equalsIgnoreCase("DPoP") || token.isEmpty()) {
      throw invalidToken("send the access token as Bearer or DPoP");
    }
    return new Presented(scheme, token);
  }

  private Future<JWTClaimsSet> verified(RoutingContext context, Presented presented) {
    JWTClaimsSet claims = parts.verifier().verify(presented.token())
      .orElseThrow(() -> invalidToken("the access token is invalid or expired"));
    requireProof(context, presented, claims);
    return parts.revocations().isRevoked(claims.getJWTID())
      .compose(revoked -> revoked ? Future.succeededFuture(true) : familyRevoked(claims))
      .map(revoked -> {
        if (revoked) {
          throw invalidToken("the access token was revoked");
        }
        return claims;
      });
  }

  /** RFC 9449 §7.1: a DPoP-bound token needs a proof by its key, for this request, naming the token in ath. */
  private void requireProof(RoutingContext context, Presented presented, JWTClaimsSet claims) {
    Object jkt = confirmation(claims).get("jkt");
    if (jkt == null) {
      return;
    }
    if (!presented.scheme().equalsIgnoreCase("DPoP")) {
      throw invalidToken("the access token is bound to a DPoP key: send it as DPoP with a proof");
    }
    DpopProof proof;
    String ath;
    try {
      String header = context.request().getHeader("DPoP");
      proof = parts.dpop().verify(header, context.request().method().name(), parts.endpointUrl());
      ath = SignedJWT.parse(header).getJWTClaimsSet().getStringClaim("ath");
    } catch (OAuthException | ParseException e) {
      throw invalidToken("the DPoP proof is missing or invalid");
    }
    if (!jkt.equals(proof.jkt()) || !accessTokenHash(presented.token()).equals(ath)) {
      throw invalidToken("the DPoP proof is not by the token's key or not for this token");
    }
  }

  private Future<JsonObject> answer(JWTClaimsSet claims) {
    Set<String> scopes = Scopes.parse(Optional.ofNullable((String) claims.getClaim("scope")).orElse(""));
    if (!scopes.contains("openid")) {
      throw OAuthException.of(OAuthError.INSUFFICIENT_SCOPE, "the access token was not granted openid");
    }
    String clientId = (String) claims.getClaim("client_id");
    return parts.clients().find(clientId == null ? "" : clientId).compose(client -> {
      Optional<UUID> userId = client.flatMap(found -> parts.subjects().userOf(found.pairwiseSector(),
        claims.getSubject()));
      if (userId.isEmpty()) {
        throw invalidToken("the access token is not a user's");
      }
      return parts.users().findById(userId.get()).map(user -> {
        User enabled = user.filter(User::enabled)
          .orElseThrow(() -> invalidToken("the user of the access token is disabled or deleted"));
        JsonObject body = new JsonObject().put("sub", claims.getSubject());
        parts.claims().of(enabled.profile(), scopes).forEach(body::put);
        return body;
      });
    });
  }

  private Future<Boolean> familyRevoked(JWTClaimsSet claims) {
    Object family = claims.getClaim(AccessTokenIssuer.SESSION_CLAIM);
    if (!(family instanceof String text)) {
      return Future.succeededFuture(false);
    }
    try {
      return parts.refreshTokens().isRevoked(UUID.fromString(text));
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(false);
    }
  }

  private static Map<String, Object> confirmation(JWTClaimsSet claims) {
    try {
      Map<String, Object> cnf = claims.getJSONObjectClaim(Confirmation.CLAIM);
      return cnf == null ? Map.of() : cnf;
    } catch (ParseException e) {
      return Map.of();
    }
  }

  private static String accessTokenHash(String token) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
        .digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static OAuthException invalidToken(String description) {
    return OAuthException.of(OAuthError.INVALID_TOKEN, description);
  }
}
