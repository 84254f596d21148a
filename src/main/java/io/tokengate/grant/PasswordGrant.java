package io.tokengate.grant;

import io.tokengate.claims.RegistrationCache;
import io.tokengate.claims.Registrations;
import io.tokengate.claims.ResourcePolicy;
import io.tokengate.claims.ResourceRegistration;
import io.tokengate.claims.ScopePolicy;
import io.tokengate.client.Client;
import io.tokengate.config.Config;
import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.tokengate.oauth.Parameters;
import io.tokengate.oauth.TokenRequest;
import io.tokengate.token.Confirmation;
import io.tokengate.token.IdTokenIssuer;
import io.tokengate.token.IssuedTokens;
import io.tokengate.token.RefreshTokens;
import io.tokengate.user.OtpPolicy;
import io.tokengate.user.User;
import io.tokengate.user.UserAuthenticator;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The resource owner password credentials grant (RFC 6749 §4.3). */
public final class PasswordGrant implements GrantHandler {

  private final UserAuthenticator users;
  private final BearerTokens tokens;
  private final RefreshTokens refreshTokens;
  private final RegistrationCache registrations;
  private final Config.Limits limits;
  private final Clock clock;

  PasswordGrant(UserAuthenticator users, BearerTokens tokens, RefreshTokens refreshTokens,
                RegistrationCache registrations, Config.Limits limits, Clock clock) {
    this.users = users;
    this.tokens = tokens;
    this.refreshTokens = refreshTokens;
    this.registrations = registrations;
    this.limits = limits;
    this.clock = clock;
  }

  @Override
  public String grantType() {
    return GrantTypes.PASSWORD;
  }

  /** What the request asks for, checked; the password is taken out of the parameters so it goes no further. */
  private record Login(String username, String password, Optional<String> code, ScopeDecision scopes,
                       List<String> resources) {
  }

  /** A login whose scopes and resources were checked against the registrations, before any password work. */
  private record Checked(Login login, Registrations registrations, List<ResourceRegistration> resources,
                         Set<String> scopes) {
  }

  @Override
  public Future<IssuedTokens> handle(TokenRequest request, Client client, Confirmation confirmation) {
    return Future.succeededFuture(request.parameters())
      .map(parameters -> login(parameters, client))
      .compose(login -> registrations.current().map(current -> checked(login, current)))
      .compose(checked -> users.authenticate(checked.login().username(), checked.login().password(),
          checked.login().code(), client.otpPolicy())
        .map(user -> granted(checked, user, client)))
      .compose(grant -> session(client, grant, confirmation)
        .map(session -> tokens.issue(grant, client, session, confirmation)));
  }

  /** RFC 8707: the resources exist, and the scopes are those of the requested resources (or of none). */
  private static Checked checked(Login login, Registrations registrations) {
    List<ResourceRegistration> resources = ResourcePolicy.requested(login.resources(), registrations);
    Set<String> scopes = ResourcePolicy.scopesFor(login.scopes().granted(), resources, registrations,
      !login.scopes().requested().isEmpty());
    return new Checked(login, registrations, resources, scopes);
  }

  /**
   * The scopes this user gets: a scope whose registration requires a group the user is not in is dropped, a default
   * scope too; when a scope was asked for and none remains, invalid_scope (RFC 6749 §3.3).
   */
  private BearerTokens.UserGrant granted(Checked checked, User user, Client client) {
    Set<String> granted = ScopePolicy.forUser(checked.scopes(), user.profile().groups(), checked.registrations());
    if (granted.isEmpty() && !checked.scopes().isEmpty()) {
      throw OAuthException.of(OAuthError.INVALID_SCOPE, "the user may have none of the requested scopes")
        .because("scope_denied_by_group");
    }
    List<String> amr = client.otpPolicy() != OtpPolicy.OFF && user.hasSecondFactor() ? List.of("pwd", "otp")
      : List.of("pwd");
    return new BearerTokens.UserGrant(user.id(), user.profile(), granted,
      BearerTokens.responseScope(granted, checked.login().scopes().requested()), checked.resources(),
      checked.registrations(), Optional.of(new IdTokenIssuer.Authentication(clock.instant(), amr)));
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
    return new Login(username, password, code, scopes, parameters.resources());
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
  private Future<Optional<RefreshTokens.Started>> session(Client client, BearerTokens.UserGrant grant,
                                                          Confirmation confirmation) {
    if (!client.receivesRefreshTokens()) {
      return Future.succeededFuture(Optional.empty());
    }
    return refreshTokens.startFamily(client, grant.userId(), grant.scopes(), confirmation.dpopKeyThumbprint(),
        ResourcePolicy.uris(grant.resources()), grant.authentication().get())
      .map(Optional::of);
  }
}
