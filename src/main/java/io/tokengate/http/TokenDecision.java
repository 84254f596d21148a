package io.tokengate.http;

import io.tokengate.client.Client;
import io.tokengate.grant.GrantTypes;
import io.tokengate.logging.AuditLog;
import io.tokengate.oauth.OAuthException;
import io.tokengate.oauth.TokenRequest;
import io.tokengate.token.IssuedTokens;
import io.tokengate.user.UsernameDigests;
import io.tokengate.user.Usernames;

import java.util.Optional;

/**
 * What the audit log says of one token request, gathered as it goes: its id and source, the client once it
 * authenticated, and at the end the outcome. A user is named by id once known, else by the SHA-256 of the username
 * given (never the username itself: people type passwords into it).
 */
final class TokenDecision {

  private final String requestId;
  private final String source;
  private final UsernameDigests usernames;
  private volatile Client client;

  TokenDecision(String requestId, String source, UsernameDigests usernames) {
    this.requestId = requestId;
    this.source = source;
    this.usernames = usernames;
  }

  void authenticated(Client authenticated) {
    this.client = authenticated;
  }

  /** The client, once it authenticated; null before. */
  Client client() {
    return client;
  }

  AuditLog.Event issued(TokenRequest request, IssuedTokens tokens) {
    Optional<String> user = tokens.subject().equals(client.clientId()) ? Optional.empty()
      : Optional.of(tokens.subject());
    return new AuditLog.Event(requestId, Optional.of(client.clientId()), user, Optional.of(request.grantType()),
      "issued", "issued", source);
  }

  AuditLog.Event failed(TokenRequest request, String outcome, Throwable failure) {
    String reason = failure instanceof OAuthException oauth ? oauth.reason() : outcome;
    Optional<String> user = request == null ? Optional.empty()
      : request.parameters().optional("username").flatMap(this::usernameId);
    return new AuditLog.Event(requestId, Optional.ofNullable(client).map(Client::clientId), user,
      Optional.ofNullable(request).map(TokenRequest::grantType).filter(TokenDecision::isKnownGrant), outcome, reason,
      source);
  }

  /** A username that may be no user's: its keyed digest (users.username_key), never the name. */
  private Optional<String> usernameId(String username) {
    try {
      return Optional.of(usernames.auditId(Usernames.normalize(username)));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** A grant_type value is the client's text: only the ones tokengate knows are written. */
  private static boolean isKnownGrant(String grantType) {
    return GrantTypes.KNOWN.contains(grantType);
  }
}
