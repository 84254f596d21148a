package io.tokengate.grant;

import io.tokengate.client.Client;
import io.tokengate.config.Config;
import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.tokengate.oauth.Parameters;
import io.tokengate.oauth.TokenRequest;
import io.tokengate.token.Confirmation;
import io.tokengate.token.IssuedTokens;
import io.tokengate.token.RefreshTokens;
import io.tokengate.user.User;
import io.tokengate.user.UserAuthenticator;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** The resource owner password credentials grant (RFC 6749 §4.3). */
public final class PasswordGrant implements GrantHandler {

  private final UserAuthenticator users;
  private final BearerTokens tokens;
  private final RefreshTokens refreshTokens;
  private final Config.Limits limits;
  private final Clock clock;

  PasswordGrant(UserAuthenticator users, BearerTokens tokens, RefreshTokens refreshTokens, Config.Limits limits,
                Clock clock) {
    this.users = users;
    this.tokens = tokens;
    this.refreshTokens = refreshTokens;
    this.limits = limits;
    this.clock = clock;
  }

  @Override
  public String grantType() {
    return GrantTypes.PASSWORD;
  }

  /** What the request asks for, checked; the password is taken out of the parameters so it goes no further. */
  private record Login(String username, String password, Optional<String> code, ScopeDecision scopes) {
  }

  /** A login whose user authenticated. */
  private record Authenticated(Login login, User user) {
  }

  @Override
  public Future<IssuedTokens> handle(TokenRequest request, Client client, Confirmation confirmation) {
    return Future.succeededFuture(request.parameters())
      .map(parameters -> login(parameters, client))
      .compose(login -> users.authenticate(login.username(), login.password(), login.code(), client.otpPolicy())
        .map(user -> new Authenticated(login, user)))
      .compose(authenticated -> session(client, authenticated, confirmation)
        .map(session -> tokens.issue(authenticated.user().id().toString(), client,
          authenticated.login().scopes().granted(), authenticated.login().scopes().responseScope(), session,
          confirmation)));
  }

  /** Parses and checks the grant's parameters; an OAuthException thrown here fails the future, never the caller. */
  private Login login(Parameters parameters, Client client) {
    requireBeforeSunset(client);
    String username = parameters.required("username");
    String password = parameters.takeRequired("password");
    if (username.length() > limits.usernameMaxLength()) {
      throw OAuthException.invalidRequest("username is longer than " + limits.usernameMaxLength() + " characters");
    }
    if (password.length() > limits.passwordMaxLength()) {
      throw OAuthException.invalidRequest("password is longer than " + limits.passwordMaxLength() + " characters");
    }
    ScopeDecision scopes = ScopeDecision.decide(parameters.optional("scope"), client);
    if (parameters.has("otp") && parameters.has("totp")) {
      throw OAuthException.invalidRequest("send the one-time code as otp or totp, not both");
    }
    // otp is Keycloak's name for it; totp is accepted from clients written for other servers.
    Optional<String> code = parameters.optional("otp").or(() -> parameters.optional("totp"));
    return new Login(username, password, code, scopes);
  }

  /**
   * From its sunset on, a client's password grant is refused before the password is even looked at; its refresh
   * tokens from earlier password grants keep working until they expire (the refresh_token grant has no sunset).
   */
  private void requireBeforeSunset(Client client) {
    client.passwordGrantSunset().filter(sunset -> sunset.reached(clock.instant())).ifPresent(sunset -> {
      throw OAuthException.of(OAuthError.UNAUTHORIZED_CLIENT, "the password grant was retired for this client on "
        + DateTimeFormatter.ISO_INSTANT.format(sunset.sunsetAt())).because("password_grant_retired");
    });
  }

  /**
   * Only clients registered for the refresh_token grant get one (RFC 6749 §4.3.3: "optional"). A session started
   * with a DPoP proof stays bound to its key (RFC 9449 §5).
   */
  private Future<Optional<RefreshTokens.Started>> session(Client client, Authenticated authenticated,
                                                          Confirmation confirmation) {
    if (!client.receivesRefreshTokens()) {
      return Future.succeededFuture(Optional.empty());
    }
    return refreshTokens.startFamily(client, authenticated.user().id(), authenticated.login().scopes().granted(),
        confirmation.dpopKeyThumbprint())
      .map(Optional::of);
  }
}
