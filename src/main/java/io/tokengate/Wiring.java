package io.tokengate;

import io.tokengate.claims.ClaimMapping;
import io.tokengate.claims.IdTokenClaims;
import io.tokengate.claims.PairwiseSubjects;
import io.tokengate.claims.RegistrationCache;
import io.tokengate.claims.Subjects;
import io.tokengate.client.ClientAuthenticator;
import io.tokengate.client.ClientCache;
import io.tokengate.client.SupportedClientAuth;
import io.tokengate.config.Config;
import io.tokengate.dpop.DpopProofVerifier;
import io.tokengate.grant.Grants;
import io.tokengate.grant.SenderConstraints;
import io.tokengate.http.HttpServers;
import io.tokengate.http.Readiness;
import io.tokengate.logging.AuditLog;
import io.tokengate.metrics.ClientAuthenticationMetrics;
import io.tokengate.metrics.PasswordGrantMetrics;
import io.tokengate.metrics.TokenLifecycleMetrics;
import io.tokengate.metrics.TokenRequestMetrics;
import io.tokengate.store.ClientStore;
import io.tokengate.store.Database;
import io.tokengate.store.LoginFailuresTable;
import io.tokengate.store.OneTimeIds;
import io.tokengate.store.RefreshTokenFamiliesTable;
import io.tokengate.store.RegistrationStore;
import io.tokengate.store.RevokedAccessTokens;
import io.tokengate.store.UserStore;
import io.tokengate.token.AccessTokenIssuer;
import io.tokengate.token.AccessTokenRevocations;
import io.tokengate.token.AccessTokenVerifier;
import io.tokengate.token.RefreshTokens;
import io.tokengate.token.TokenIntrospector;
import io.tokengate.token.TokenRevoker;
import io.tokengate.usage.PasswordGrantUsage;
import io.tokengate.store.UsageRollups;
import io.tokengate.user.LocalUserDirectory;
import io.tokengate.user.Lockout;
import io.tokengate.user.SecondFactor;
import io.tokengate.user.TotpSecretSealer;
import io.tokengate.user.UserAuthenticator;
import io.tokengate.user.UserDirectory;

import java.time.Clock;
import java.util.List;

/**
 * The composition of the request path: each part made once, from the platform and the stored state, and handed to
 * the HTTP servers. Each concern is one method, in the order a password grant meets them.
 */
final class Wiring {

  private static final String TOKEN_PATH = "/oauth2/token";

  private final Platform platform;
  private final StoredState state;
  private final Config config;
  private final Clock clock;
  private final UserStore userStore;
  private final OneTimeIds oneTimeIds;
  private final PasswordGrantUsage passwordGrantUsage;
  private final Lockout lockout;
  private final ClientCache clientCache;

  Wiring(Platform platform, StoredState state, Config config, Clock clock) {
    this.platform = platform;
    this.state = state;
    this.config = config;
    this.clock = clock;
    this.userStore = new UserStore(platform.pool());
    this.oneTimeIds = new OneTimeIds(platform.pool());
    this.clientCache = new ClientCache(new ClientStore(platform.pool()), config.clients().cacheTtl());
    this.passwordGrantUsage = new PasswordGrantUsage(new UsageRollups(platform.pool()),
      new PasswordGrantMetrics(platform.registry()), clock, config.passwordGrant().usageRetention());
    this.lockout = new Lockout(new LoginFailuresTable(platform.pool()), config.lockout(), clock, state.usernames());
  }

  /** The lockout of password grants; its kept places are given back at shutdown. */
  Lockout lockout() {
    return lockout;
  }

  PasswordGrantUsage passwordGrantUsage() {
    return passwordGrantUsage;
  }

  Readiness readiness() {
    return new Readiness(() -> Database.ping(platform.probePool()), config.database().url(), state.keys(),
      config.tokens().jwksFile().isPresent() ? "file" : "database");
  }

  HttpServers.Services services() {
    AccessTokenVerifier verifier = new AccessTokenVerifier(config.issuer(), state.keys(), clock);
    AccessTokenRevocations revocations = new RevokedAccessTokens(platform.pool());
    RefreshTokens refreshTokens = new RefreshTokens(new RefreshTokenFamiliesTable(platform.pool(), state.usernames()),
      clock, config.tokens());
    TokenLifecycleMetrics lifecycleMetrics = new TokenLifecycleMetrics(platform.registry());
    Grants grants = Grants.all(users(), new AccessTokenIssuer(config.issuer(), config.tokens().audience(),
      state.keys(), clock, config.tokens().maxSize()), refreshTokens, lifecycleMetrics, config, clock,
      registrations(), subjects());
    return new HttpServers.Services(clients(), SupportedClientAuth.of(config), grants, senderConstraints(),
      new TokenIntrospector(verifier, revocations, refreshTokens, userStore, config.issuer(), clientCache,
        subjects()),
      new TokenRevoker(verifier, revocations, refreshTokens), state.keys(),
      new TokenRequestMetrics(platform.registry(), grants.supported()), lifecycleMetrics, platform.trustedProxies(),
      new AuditLog(clock), passwordGrantUsage, state.usernames(), userInfo(verifier, revocations, refreshTokens));
  }

  private HttpServers.UserInfoParts userInfo(AccessTokenVerifier verifier, AccessTokenRevocations revocations,
                                             RefreshTokens refreshTokens) {
    List<String> claims = new java.util.ArrayList<>(List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "amr",
      "azp", "at_hash"));
    config.claims().idToken().keySet().forEach(claims::add);
    config.claims().accessToken().keySet().stream().filter(claim -> !claims.contains(claim)).forEach(claims::add);
    return new HttpServers.UserInfoParts(verifier, revocations, refreshTokens, clientCache, subjects(), userStore,
      new IdTokenClaims(new ClaimMapping(config.claims().idToken())), dpopVerifier(),
      List.of("openid", "profile", "email", "address", "phone"), claims);
  }

  private RegistrationCache registrations() {
    return new RegistrationCache(new RegistrationStore(platform.pool()), config.clients().cacheTtl(), clock);
  }

  private Subjects subjects() {
    return new Subjects(new PairwiseSubjects(state.pairwiseKey()));
  }

  private ClientAuthenticator clients() {
    return ClientAuthenticator.create(config, clientCache, platform.hashing(), platform.remoteJwks(), oneTimeIds, platform.authorities(),
      clock, new ClientAuthenticationMetrics(platform.registry()));
  }

  private DpopProofVerifier dpopVerifier() {
    return new DpopProofVerifier(clock, config.dpop().proofLifetime(), config.dpop().clockSkew());
  }

  private SenderConstraints senderConstraints() {
    return new SenderConstraints(dpopVerifier(),
      oneTimeIds, config.endpointUrl(TOKEN_PATH));
  }

  private UserAuthenticator users() {
    // The user sources, in order: for now tokengate's own table.
    List<UserDirectory> directories = List.of(
      new LocalUserDirectory(userStore, platform.hashing(), state.decoyHash(), platform.registry()));
    return new UserAuthenticator(directories, platform.hashing(), state.decoyHash(),
      lockout,
      new SecondFactor(userStore, TotpSecretSealer.of(config.keyring()), clock), platform.registry());
  }
}
