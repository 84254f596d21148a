package io.tokengate.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tokengate.client.ClientAuthenticator;
import io.tokengate.config.Config;
import io.tokengate.grant.Grants;
import io.tokengate.metrics.TokenRequestMetrics;
import io.tokengate.token.SigningKeys;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.concurrent.atomic.AtomicInteger;

/** Deploys the public verticle once per event loop and the management verticle once. */
public final class HttpServers {

  /** The ports actually bound (they differ from the configuration when it asked for any free port). */
  public record Ports(int publicPort, int managementPort) {
  }

  private HttpServers() {
  }

  static IllegalStateException cannotListen(String server, String host, int port, Throwable cause) {
    return new IllegalStateException("cannot listen on " + host + ":" + port + " (" + server + ".port): "
      + cause.getMessage());
  }

  public static Future<Ports> deploy(Vertx vertx, Config config, int instances, ClientAuthenticator clients,
                                     Grants grants, SigningKeys keys, TokenRequestMetrics metrics,
                                     PrometheusMeterRegistry registry, Readiness readiness) {
    TokenEndpoint token = new TokenEndpoint(new TokenRequestReader(config.http().bodyLimit()), clients, grants, metrics);
    DiscoveryEndpoints discovery = new DiscoveryEndpoints(config, keys, grants.supported());
    AtomicInteger publicPort = new AtomicInteger();
    AtomicInteger managementPort = new AtomicInteger();
    return vertx.deployVerticle(() -> new PublicVerticle(config, token, discovery, publicPort::set),
        new DeploymentOptions().setInstances(instances))
      .compose(deployed -> vertx.deployVerticle(
        new ManagementVerticle(config.management(), registry, readiness, managementPort::set)))
      .map(deployed -> new Ports(publicPort.get(), managementPort.get()));
  }
}
