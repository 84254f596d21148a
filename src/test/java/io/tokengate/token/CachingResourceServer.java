package io.tokengate.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.tokengate.support.Http;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A resource server that verifies access tokens offline with Nimbus against a JWKS it caches: fetched from one
 * replica after another, kept for its TTL, and never refetched early for an unknown kid (the strictest cache, as a
 * rate-limited or cooldown-bound refetch is on a busy resource server). A token signed with a key it has not cached
 * fails, exactly as it would in production.
 */
final class CachingResourceServer {

  private final List<Http> replicas;
  private final Clock clock;
  private final Duration ttl;
  private DefaultJWTProcessor<SecurityContext> processor;
  private Instant fetchedAt;
  private int fetches;

  CachingResourceServer(List<Http> replicas, Clock clock, Duration ttl) {
    this.replicas = replicas;
    this.clock = clock;
    this.ttl = ttl;
  }

  /** Whether the token verifies (signature, typ at+jwt, exp) with the keys cached now. */
  boolean accepts(String token) {
    try {
      processor().process(token, null);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private DefaultJWTProcessor<SecurityContext> processor() throws ParseException {
    Instant now = clock.instant();
    if (processor == null || !now.isBefore(fetchedAt.plus(ttl))) {
      Http replica = replicas.get(fetches++ % replicas.size());
      JWKSet keys = JWKSet.parse(replica.get("/oauth2/jwks").bodyAsString());
      DefaultJWTProcessor<SecurityContext> fresh = new DefaultJWTProcessor<>();
      fresh.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
      fresh.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, new ImmutableJWKSet<>(keys)));
      processor = fresh;
      fetchedAt = now;
    }
    return processor;
  }
}
