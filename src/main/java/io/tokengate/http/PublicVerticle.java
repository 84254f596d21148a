package io.tokengate.http;

import io.tokengate.config.Config;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/** The public port: one instance per event loop, all listening on the same port. */
final class PublicVerticle extends VerticleBase {

  private final Config config;
  private final TokenEndpoint token;
  private final TokenManagementEndpoints tokenManagement;
  private final DiscoveryEndpoints discovery;
  private final UserInfoEndpoint userInfo;
  private final RequestLimits limits;
  private final Readiness readiness;
  private final RequestTimeouts requestTimeouts;
  private final IntConsumer boundPort;
  private HttpServer server;

  PublicVerticle(Config config, TokenEndpoint token, TokenManagementEndpoints tokenManagement,
                 DiscoveryEndpoints discovery, UserInfoEndpoint userInfo, RequestLimits limits, Readiness readiness,
                 RequestTimeouts requestTimeouts, IntConsumer boundPort) {
    this.config = config;
    this.token = token;
    this.tokenManagement = tokenManagement;
    this.discovery = discovery;
    this.userInfo = userInfo;
    this.limits = limits;
    this.readiness = readiness;
    this.requestTimeouts = requestTimeouts;
    this.boundPort = boundPort;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(this::closeConnectionsWhenDraining);
    router.post(DiscoveryEndpoints.TOKEN_PATH).handler(limits::perAddress).handler(token);
    router.post(TokenManagementEndpoints.INTROSPECT_PATH).handler(limits::perAddress)
      .handler(tokenManagement::introspect);
    router.post(TokenManagementEndpoints.REVOKE_PATH).handler(limits::perAddress).handler(tokenManagement::revoke);
    for (String postOnly : new String[] {DiscoveryEndpoints.TOKEN_PATH, TokenManagementEndpoints.INTROSPECT_PATH,
      TokenManagementEndpoints.REVOKE_PATH}) {
      router.route(postOnly).handler(TokenEndpoint::methodNotAllowed);
    }
    router.get(UserInfoEndpoint.PATH).handler(limits::perAddress).handler(userInfo::handle);
    router.post(UserInfoEndpoint.PATH).handler(limits::perAddress).handler(userInfo::handle);
    router.get(DiscoveryEndpoints.JWKS_PATH).handler(discovery::jwks);
    router.get(DiscoveryEndpoints.OPENID_CONFIGURATION_PATH).handler(discovery::metadata);
    router.get(DiscoveryEndpoints.METADATA_PATH).handler(discovery::metadata);
    String issuerPath = DiscoveryEndpoints.issuerMetadataPath(config);
    if (!issuerPath.equals(DiscoveryEndpoints.METADATA_PATH)) {
      router.get(issuerPath).handler(discovery::metadata);
    }
    router.route().failureHandler(new ErrorResponder());

    HttpServerOptions options = new HttpServerOptions()
      .setHandle100ContinueAutomatically(true)
      .setIdleTimeout(60)
      .setIdleTimeoutUnit(TimeUnit.SECONDS)
      // No HTTP/2 over cleartext: its detection held the connection back from Vert.x (and from RequestTimeouts)
      // until the first request had arrived, so the first request's headers were bounded only by the idle timeout.
      .setHttp2ClearTextEnabled(false);
    config.http().tls().ifPresent(tls -> ClientCertificateRequest.apply(options, tls));
    // A negative port is Vert.x' "random port shared by all instances": port 0 would give each its own.
    int port = config.http().port() == 0 ? -1 : config.http().port();
    return vertx.createHttpServer(options)
      .connectionHandler(requestTimeouts::watch)
      .requestHandler(router)
      .listen(port, config.http().host())
      .recover(failure -> Future.failedFuture(HttpServers.cannotListen("http", config.http().host(), port,
        failure)))
      .onSuccess(listening -> {
        server = listening;
        boundPort.accept(listening.actualPort());
      });
  }

  /**
   * Once shutdown has begun, every response asks the client to close its connection: a keep-alive connection left
   * idle when the port closes could meet a request the client sends at that very moment, and lose it.
   */
  private void closeConnectionsWhenDraining(RoutingContext context) {
    if (readiness.isShuttingDown()) {
      context.response().putHeader(HttpHeaders.CONNECTION, "close");
    }
    context.next();
  }

  @Override
  public Future<?> stop() {
    // Stop accepting, let in-flight requests finish within the grace period, then close.
    return server == null ? Future.succeededFuture()
      : server.shutdown(config.http().shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
  }
}
