package io.tokengate.grant;

import io.tokengate.client.Client;
import io.tokengate.config.Config;
import io.tokengate.oauth.OAuthException;
import io.tokengate.oauth.Parameters;
import io.tokengate.oauth.TokenRequest;
import io.tokengate.token.AccessTokenIssuer;
import io.tokengate.token.IssuedTokens;
import io.tokengate.user.UserAuthenticator;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.Optional;

/** The resource owner password credentials grant (RFC 6749 §4.3). */
public final class PasswordGrant implements GrantHandler {

  private final UserAuthenticator users;
  private final AccessTokenIssuer tokens;
  private final Config.Limits limits;
  private final Duration defaultLifetime;

  public PasswordGrant(UserAuthenticator users, AccessTokenIssuer tokens, Config.Limits limits,
                       Duration defaultLifetime) {
    this.users = users;
    this.tokens = tokens;
    this.limits = limits;
    this.defaultLifetime = defaultLifetime;
  }

  @Override
  public String grantType() {
    return GrantTypes.PASSWORD;
  }

  @Override
  public Future<IssuedTokens> handle(TokenRequest request, Client client) {
    Parameters parameters = request.parameters();
    String username = parameters.required("username");
    String password = parameters.required("password");
    if (username.length() > limits.usernameMaxLength()) {
      throw OAuthException.invalidRequest("username is longer than " + limits.usernameMaxLength() + " characters");
    }
    if (password.length() > limits.passwordMaxLength()) {
      throw OAuthException.invalidRequest("password is longer than " + limits.passwordMaxLength() + " characters");
    }
    ScopeDecision scopes = ScopeDecision.decide(parameters.optional("scope"), client);
    Duration lifetime = client.accessTokenTtl().orElse(defaultLifetime);
    return users.authenticate(username, password)
      .map(user -> new IssuedTokens(
        tokens.issue(user.id().toString(), client.clientId(), scopes.granted(), lifetime),
        "Bearer",
        lifetime.toSeconds(),
        scopes.responseScope(),
        Optional.empty()));
  }
}
