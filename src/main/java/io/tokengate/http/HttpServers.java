package io.tokengate.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tokengate.client.ClientAuthenticator;
import io.tokengate.client.SupportedClientAuth;
import io.tokengate.config.Config;
import io.tokengate.grant.Grants;
import io.tokengate.grant.SenderConstraints;
import io.tokengate.logging.AuditLog;
import io.tokengate.metrics.TokenLifecycleMetrics;
import io.tokengate.metrics.TokenRequestMetrics;
import io.tokengate.tls.TrustedProxies;
import io.tokengate.token.SigningKeys;
import io.tokengate.token.TokenIntrospector;
import io.tokengate.token.TokenRevoker;
import io.tokengate.usage.PasswordGrantUsage;
import io.tokengate.user.UsernameDigests;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.concurrent.atomic.AtomicInteger;

/** Deploys the public verticle once per event loop and the management verticle once. */
public final class HttpServers {

  /** The ports actually bound (they differ from the configuration when it asked for any free port). */
  public record Ports(int publicPort, int managementPort) {
  }

  /** What {@link #deploy} started, so that shutdown can stop it in order. */
  public record Deployed(Ports ports, String publicDeployment, String managementDeployment) {
  }

  private HttpServers() {
  }

  static IllegalStateException cannotListen(String server, String host, int port, Throwable cause) {
    return new IllegalStateException("cannot listen on " + host + ":" + port + " (" + server + ".port): "
      + cause.getMessage());
  }

  /** What the public endpoints need; shared by every verticle instance (all of it is thread-safe). */
  public record Services(ClientAuthenticator clients, SupportedClientAuth clientAuth, Grants grants,
                         SenderConstraints senderConstraints, TokenIntrospector introspector, TokenRevoker revoker,
                         SigningKeys keys, TokenRequestMetrics tokenMetrics, TokenLifecycleMetrics lifecycleMetrics,
                         TrustedProxies trustedProxies, AuditLog audit, PasswordGrantUsage passwordGrantUsage,
                         UsernameDigests usernames, UserInfoParts userInfo) {
  }

  /** What the userinfo endpoint needs (OpenID Connect). */
  public record UserInfoParts(io.tokengate.token.AccessTokenVerifier verifier,
                              io.tokengate.token.AccessTokenRevocations revocations,
                              io.tokengate.token.RefreshTokens refreshTokens, io.tokengate.client.ClientCache clients,
                              io.tokengate.claims.Subjects subjects, io.tokengate.user.UserRecords users,
                              io.tokengate.claims.IdTokenClaims claims, io.tokengate.dpop.DpopProofVerifier dpop,
                              java.util.List<String> scopesSupported, java.util.List<String> claimsSupported) {
  }

  public static Future<Deployed> deploy(Vertx vertx, Config config, int instances, Services services,
                                     PrometheusMeterRegistry registry, Readiness readiness) {
    FormRequestReader reader = new FormRequestReader(config.http().bodyLimit(), config.issuer().toString(),
      new ClientCertificateSource(services.trustedProxies()));
    RequestLimits limits = new RequestLimits(config.rateLimits(),
      new ClientAddresses(services.trustedProxies(), config.http().clientAddressHeader()),
      registry);
    TokenEndpoint token = new TokenEndpoint(reader, services.clients(), services.grants(),
      services.senderConstraints(), limits, services.audit(), services.tokenMetrics(),
      new SunsetHeaders(config.passwordGrant().sunsetLink()), services.passwordGrantUsage(), services.usernames());
    TokenManagementEndpoints tokenManagement = new TokenManagementEndpoints(reader, services.clients(),
      services.introspector(), services.revoker(), services.lifecycleMetrics());
    DiscoveryEndpoints discovery = new DiscoveryEndpoints(config, services.keys(), services.grants().supported(),
      services.clientAuth(), services.userInfo().scopesSupported(), services.userInfo().claimsSupported());
    HttpServers.UserInfoParts info = services.userInfo();
    UserInfoEndpoint userInfo = new UserInfoEndpoint(new UserInfoEndpoint.Parts(info.verifier(), info.revocations(),
      info.refreshTokens(), info.clients(), info.subjects(), info.users(), info.claims(), info.dpop(),
      config.endpointUrl(UserInfoEndpoint.PATH)));
    RequestTimeouts requestTimeouts = new RequestTimeouts(config.http().requestTimeout(), registry);
    AtomicInteger publicPort = new AtomicInteger();
    AtomicInteger managementPort = new AtomicInteger();
    return vertx.deployVerticle(() -> new PublicVerticle(config, token, tokenManagement, discovery, userInfo, limits, readiness,
        requestTimeouts, publicPort::set),
        new DeploymentOptions().setInstances(instances))
      .compose(publicDeployment -> vertx.deployVerticle(
          new ManagementVerticle(config.management(), registry, readiness, managementPort::set))
        .map(managementDeployment -> new Deployed(new Ports(publicPort.get(), managementPort.get()), publicDeployment,
          managementDeployment)));
  }
}
