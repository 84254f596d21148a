package io.tokengate.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokengate.client.Client;
import io.tokengate.config.Config;
import io.tokengate.oauth.OAuthException;
import io.tokengate.tls.AddressKeys;
import io.vertx.ext.web.RoutingContext;

import java.util.OptionalLong;

/**
 * Rate limits of this replica: per source address on every client endpoint (before the body is read), and per
 * client on the token endpoint (after it authenticated, so that nobody can spend another client's budget). Beyond
 * them: 429 with {@code Retry-After}. The source address is worked out here once and kept for the audit log.
 */
final class RequestLimits {

  private static final String SOURCE = "tokengate.source";
  private static final int MAX_KEYS = 100_000;

  private final Config.RateLimits config;
  private final ClientAddresses addresses;
  private final RateLimiter byAddress;
  private final RateLimiter byClient;
  private final Counter addressLimited;
  private final Counter clientLimited;

  RequestLimits(Config.RateLimits config, ClientAddresses addresses, MeterRegistry registry) {
    this.config = config;
    this.addresses = addresses;
    this.byAddress = new RateLimiter(MAX_KEYS, "address", registry);
    this.byClient = new RateLimiter(MAX_KEYS, "client", registry);
    this.addressLimited = counter(registry, "address");
    this.clientLimited = counter(registry, "client");
  }

  private static Counter counter(MeterRegistry registry, String limit) {
    return Counter.builder("tokengate.rate.limited")
      .description("Requests refused with 429 by this replica's rate limits")
      .tag("limit", limit)
      .register(registry);
  }

  /** A route handler: notes the source address, and refuses it when it is over its rate. */
  void perAddress(RoutingContext context) {
    String source = addresses.of(context.request());
    context.put(SOURCE, source);
    if (config.perAddress() > 0) {
      // An IPv6 client holds a /64 (2^64 addresses): it is one key, or it could spend a new address per request.
      OptionalLong wait = byAddress.acquire(AddressKeys.rateLimitKey(source), config.perAddress(),
        config.perAddressBurst());
      if (wait.isPresent()) {
        addressLimited.increment();
        context.fail(OAuthException.rateLimited(wait.getAsLong()));
        return;
      }
    }
    context.next();
  }

  /** @throws OAuthException 429 when the client is over its own rate, or the configured one */
  void perClient(Client client) {
    int rate = client.rateLimit().orElse(config.perClient());
    if (rate <= 0) {
      return;
    }
    OptionalLong wait = byClient.acquire(client.clientId(), rate, Math.max(1, 2 * rate));
    if (wait.isPresent()) {
      clientLimited.increment();
      throw OAuthException.rateLimited(wait.getAsLong());
    }
  }

  static String source(RoutingContext context) {
    String source = context.get(SOURCE);
    return source == null ? "unknown" : source;
  }
}
