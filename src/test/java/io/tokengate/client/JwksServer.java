package io.tokengate.client;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SelfSignedCertificate;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A client's key server: each path answers as a test tells it to, and counts the requests it gets. */
final class JwksServer implements AutoCloseable {

  private final Map<String, Handler<HttpServerRequest>> paths = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final String scheme;
  private final String host;
  private HttpServer server;

  private JwksServer(String scheme, String host) {
    this.scheme = scheme;
    this.host = host;
  }

  static JwksServer start(Vertx vertx) {
    return new JwksServer("http", "127.0.0.1").listen(vertx, new HttpServerOptions());
  }

  /** With a self-signed certificate, which no JVM trust store holds. */
  static JwksServer startSelfSigned(Vertx vertx) {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    // The certificate names localhost, so that only its issuer is wrong.
    return new JwksServer("https", "localhost").listen(vertx,
      new HttpServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions()));
  }

  private JwksServer listen(Vertx vertx, HttpServerOptions options) {
    server = vertx.createHttpServer(options)
      .requestHandler(request -> {
        hits.computeIfAbsent(request.path(), path -> new AtomicInteger()).incrementAndGet();
        paths.getOrDefault(request.path(), unknown -> unknown.response().setStatusCode(404).end()).handle(request);
      })
      .listen(0, host).await();
    return this;
  }

  /** @return the URI of {@code path}, which from now on answers with {@code handler} */
  URI answer(String path, Handler<HttpServerRequest> handler) {
    paths.put(path, handler);
    return uri(path);
  }

  /** @return the URI of {@code path}, which from now on publishes {@code keys} as they are, private parts too */
  URI publish(String path, JWK... keys) {
    String body = new JWKSet(List.of(keys)).toString(false);
    return answer(path, request -> request.response().putHeader("Content-Type", "application/jwk-set+json").end(body));
  }

  URI uri(String path) {
    return URI.create(scheme + "://" + host + ":" + server.actualPort() + path);
  }

  int hits(String path) {
    AtomicInteger count = hits.get(path);
    return count == null ? 0 : count.get();
  }

  @Override
  public void close() {
    server.close().await();
  }
}
