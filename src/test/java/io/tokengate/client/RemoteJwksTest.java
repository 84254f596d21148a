package io.tokengate.client;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.tokengate.support.TestClock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clients' keys fetched from their jwks_uri over real HTTP, cached, and refetched only as often as allowed. */
@ExtendWith(VertxExtension.class)
class RemoteJwksTest {

  /** Generous, so that a slow first connection on a busy machine does not fail a test about something else. */
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final Duration SHORT_TIMEOUT = Duration.ofMillis(500);
  private static final int MAX_BYTES = 4096;
  private static final Duration TTL = Duration.ofMinutes(5);
  private static final Duration REFETCH_INTERVAL = Duration.ofSeconds(30);

  private final TestClock clock = new TestClock();
  private final List<RemoteJwks> opened = new ArrayList<>();
  private JwksServer server;
  private RemoteJwks jwks;

  @BeforeEach
  void start(Vertx vertx) {
    server = JwksServer.start(vertx);
    jwks = open(vertx, TIMEOUT, 100);
  }

  @AfterEach
  void stop() {
    opened.forEach(remoteJwks -> remoteJwks.close().await());
    server.close();
  }

  private RemoteJwks open(Vertx vertx, Duration timeout, int maxEntries) {
    RemoteJwks remoteJwks = new RemoteJwks(vertx,
      new RemoteJwks.Settings(timeout, MAX_BYTES, TTL, REFETCH_INTERVAL, maxEntries), clock);
    opened.add(remoteJwks);
    return remoteJwks;
  }

  private static ECKey signingKey(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JWK publicKey(String kid) {
    return signingKey(kid).toPublicJWK();
  }

  private RemoteJwks.FetchFailed fetchFails(URI uri) {
    return fetchFails(jwks, uri);
  }

  private static RemoteJwks.FetchFailed fetchFails(RemoteJwks remoteJwks, URI uri) {
    return assertThrows(RemoteJwks.FetchFailed.class, () -> remoteJwks.keys(uri, null).await());
  }

  @Test
  void theFirstFetchReturnsThePublishedPublicKeys() throws Exception {
    JWK rsa = new RSAKeyGenerator(2048).keyID("rsa").generate().toPublicJWK();
    URI uri = server.publish("/jwks", publicKey("ec"), rsa);

    JWKSet keys = jwks.keys(uri, "ec").await();

    assertEquals(List.of("ec", "rsa"), keys.getKeys().stream().map(JWK::getKeyID).toList());
    assertEquals(1, server.hits("/jwks"));
  }

  @Test
  void aFreshSetIsAnsweredFromTheCache() {
    URI uri = server.publish("/jwks", publicKey("ec"));
    jwks.keys(uri, null).await();
    clock.advance(TTL.minusSeconds(1));

    assertNotNull(jwks.keys(uri, "ec").await().getKeyByKeyId("ec"));
    assertNotNull(jwks.keys(uri, null).await().getKeyByKeyId("ec"));
    assertEquals(1, server.hits("/jwks"));
  }

  @Test
  void anUnknownKidRefetchesOnceAndFindsTheRotatedKey() {
    JWK old = publicKey("old");
    URI uri = server.publish("/jwks", old);
    jwks.keys(uri, null).await();
    server.publish("/jwks", old, publicKey("new"));
    clock.advance(REFETCH_INTERVAL);

    assertNotNull(jwks.keys(uri, "new").await().getKeyByKeyId("new"));
    assertNotNull(jwks.keys(uri, "new").await().getKeyByKeyId("new"));
    assertEquals(2, server.hits("/jwks"));
  }

  @Test
  void aFloodOfUnknownKidsWithinTheIntervalSendsNoMoreRequests() {
    URI uri = server.publish("/jwks", publicKey("real"));
    jwks.keys(uri, null).await();
    clock.advance(REFETCH_INTERVAL);

    for (int i = 0; i < 100; i++) {
      JWKSet answered = jwks.keys(uri, "forged-" + i).await();
      assertNull(answered.getKeyByKeyId("forged-" + i));
      assertNotNull(answered.getKeyByKeyId("real"), "the cached set answers");
    }
    assertEquals(2, server.hits("/jwks"), "one refetch for the first unknown kid, none for the rest");

    clock.advance(REFETCH_INTERVAL);
    jwks.keys(uri, "forged-again").await();
    assertEquals(3, server.hits("/jwks"), "the next interval allows one more");
  }

  @Test
  void aStaleSetIsFetchedAgain() {
    URI uri = server.publish("/jwks", publicKey("old"));
    jwks.keys(uri, null).await();
    server.publish("/jwks", publicKey("new"));
    clock.advance(TTL);

    JWKSet keys = jwks.keys(uri, null).await();

    assertEquals(List.of("new"), keys.getKeys().stream().map(JWK::getKeyID).toList());
    assertEquals(2, server.hits("/jwks"));
  }

  @Test
  void concurrentCallersShareOneFetch() {
    String body = new JWKSet(publicKey("ec")).toString();
    Promise<Void> release = Promise.promise();
    URI uri = server.answer("/slow", request -> release.future().onComplete(released -> request.response().end(body)));

    List<Future<JWKSet>> callers = IntStream.range(0, 20)
      .mapToObj(i -> jwks.keys(uri, i % 2 == 0 ? null : "ec"))
      .toList();
    release.complete();

    Future.all(callers).await();
    callers.forEach(caller -> assertNotNull(caller.result().getKeyByKeyId("ec")));
    assertEquals(1, server.hits("/slow"));
  }

  @Test
  void eachCallerIsAnsweredOnItsOwnContext(Vertx vertx, VertxTestContext test) {
    String body = new JWKSet(publicKey("ec")).toString();
    Promise<Void> release = Promise.promise();
    URI uri = server.answer("/jwks", request -> release.future().onComplete(released -> request.response().end(body)));
    Context first = vertx.getOrCreateContext();
    Context second = vertx.getOrCreateContext();
    assertNotSame(first, second);
    Checkpoint answered = test.checkpoint(2);

    for (Context caller : List.of(first, second)) {
      caller.runOnContext(ignored -> {
        jwks.keys(uri, null).onComplete(test.succeeding(keys -> test.verify(() -> {
          assertSame(caller, Vertx.currentContext());
          assertEquals(1, server.hits("/jwks"));
          answered.flag();
        })));
        if (caller == second) {
          release.complete();
        }
      });
    }
  }

  @Test
  void aServerThatNeverAnswersFailsWithinTheTimeout(Vertx vertx) {
    RemoteJwks impatient = open(vertx, SHORT_TIMEOUT, 100);
    URI uri = server.answer("/silent", request -> { });

    long started = System.nanoTime();
    RemoteJwks.FetchFailed failure = fetchFails(impatient, uri);

    assertTrue(failure.getMessage().contains("within 500ms"), failure.getMessage());
    assertTrue(failure.getMessage().contains(uri.toString()), failure.getMessage());
    assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(SHORT_TIMEOUT.multipliedBy(4)) < 0);
  }

  @Test
  void aServerThatTricklesItsBodyFailsAtTheDeadline(Vertx vertx) {
    RemoteJwks impatient = open(vertx, SHORT_TIMEOUT, 100);
    URI uri = server.answer("/trickle", request -> {
      HttpServerResponse response = request.response().setChunked(true);
      response.write("{");
      long timer = vertx.setPeriodic(100, tick -> response.write(" "));
      response.closeHandler(closed -> vertx.cancelTimer(timer));
    });

    long started = System.nanoTime();
    RemoteJwks.FetchFailed failure = fetchFails(impatient, uri);

    assertEquals("no complete response within 500ms", failure.reason());
    assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(SHORT_TIMEOUT.multipliedBy(4)) < 0);
  }

  @Test
  void aStatusOtherThan200Fails() {
    URI uri = server.answer("/missing", request -> request.response().setStatusCode(404).end("no such client"));

    assertEquals("HTTP status 404", fetchFails(uri).reason());
  }

  @Test
  void redirectsAreNotFollowed() {
    URI target = server.publish("/jwks", publicKey("ec"));
    URI uri = server.answer("/moved", request -> request.response().setStatusCode(302)
      .putHeader("Location", target.toString()).end());

    assertEquals("HTTP status 302", fetchFails(uri).reason());
    assertEquals(0, server.hits("/jwks"));
  }

  @Test
  void aDeclaredLengthAboveTheLimitIsRefusedBeforeTheBodyArrives() {
    URI uri = server.answer("/huge", request -> request.response()
      .putHeader("Content-Length", "10000000").write("{\"keys\":["));

    long started = System.nanoTime();
    RemoteJwks.FetchFailed failure = fetchFails(uri);

    assertEquals("the body is larger than 4096 bytes", failure.reason());
    assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(TIMEOUT) < 0, "without waiting for the body");
  }

  @Test
  void aChunkedBodyIsCutOffOnceItPassesTheLimit() throws Exception {
    Promise<Void> connectionClosed = Promise.promise();
    URI uri = server.answer("/endless", request -> {
      HttpServerResponse response = request.response().setChunked(true);
      response.closeHandler(closed -> connectionClosed.tryComplete());
      writeUntilClosed(response);
    });

    assertEquals("the body is larger than 4096 bytes", fetchFails(uri).reason());
    connectionClosed.future().await(5, TimeUnit.SECONDS);
  }

  private static void writeUntilClosed(HttpServerResponse response) {
    while (!response.closed() && !response.writeQueueFull()) {
      response.write("x".repeat(1024));
    }
    response.drainHandler(drained -> writeUntilClosed(response));
  }

  @Test
  void aBodyOfExactlyTheLimitIsAccepted() {
    String set = new JWKSet(publicKey("ec")).toString();
    String padded = set.substring(0, set.length() - 1) + " ".repeat(MAX_BYTES - set.length()) + "}";
    URI uri = server.answer("/jwks", request -> request.response().setChunked(true).end(padded));

    assertNotNull(jwks.keys(uri, null).await().getKeyByKeyId("ec"));
  }

  @Test
  void aBodyThatIsNotAJwksFails() {
    URI html = server.answer("/html", request -> request.response().end("<html>SECRET-BODY</html>"));
    URI object = server.answer("/object", request -> request.response().end("{\"issuer\":\"https://client\"}"));

    RemoteJwks.FetchFailed failure = fetchFails(html);
    assertEquals("not a JSON JWKS", failure.reason());
    assertFalse(failure.getMessage().contains("SECRET-BODY"));
    assertEquals("not a JSON JWKS", fetchFails(object).reason());
  }

  @Test
  void aSetWithPrivateKeyMaterialIsRefused() {
    URI uri = server.publish("/leaked", publicKey("public"), signingKey("private"));

    assertEquals("the set contains private or secret key material", fetchFails(uri).reason());
  }

  @Test
  void encryptionKeysAreLeftOut() throws Exception {
    JWK encryption = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.ENCRYPTION).keyID("enc").generate().toPublicJWK();
    JWK unspecified = new ECKeyGenerator(Curve.P_256).keyID("any").generate().toPublicJWK();
    URI uri = server.publish("/jwks", encryption, publicKey("sig"), unspecified);

    JWKSet keys = jwks.keys(uri, null).await();

    assertEquals(List.of("sig", "any"), keys.getKeys().stream().map(JWK::getKeyID).toList());
  }

  @Test
  void aFailedRefetchKeepsServingTheStaleSetAndWaitsForTheInterval() {
    URI uri = server.publish("/jwks", publicKey("old"));
    jwks.keys(uri, null).await();
    server.answer("/jwks", request -> request.response().setStatusCode(500).end("SECRET-BODY"));
    clock.advance(TTL);

    try (CapturedWarnings warnings = CapturedWarnings.of(RemoteJwks.class)) {
      assertNotNull(jwks.keys(uri, null).await().getKeyByKeyId("old"));
      assertNotNull(jwks.keys(uri, "new").await().getKeyByKeyId("old"));

      assertEquals(2, server.hits("/jwks"), "no retry within the interval");
      assertEquals(1, warnings.messages().size());
      String warning = warnings.messages().get(0);
      assertTrue(warning.contains(uri.toString()) && warning.contains("HTTP status 500"), warning);
      assertFalse(warning.contains("SECRET-BODY"), warning);
    }

    server.publish("/jwks", publicKey("new"));
    clock.advance(REFETCH_INTERVAL);
    assertNotNull(jwks.keys(uri, null).await().getKeyByKeyId("new"));
    assertEquals(3, server.hits("/jwks"));
  }

  @Test
  void aFailureWithoutACachedSetIsRememberedForTheInterval() {
    URI uri = server.answer("/jwks", request -> request.response().setStatusCode(503).end());

    assertEquals("HTTP status 503", fetchFails(uri).reason());
    assertEquals("HTTP status 503", fetchFails(uri).reason());
    assertEquals(1, server.hits("/jwks"));

    server.publish("/jwks", publicKey("ec"));
    clock.advance(REFETCH_INTERVAL);
    assertNotNull(jwks.keys(uri, null).await().getKeyByKeyId("ec"));
    assertEquals(2, server.hits("/jwks"));
  }

  @Test
  void theLeastRecentlyUsedUriIsDropped(Vertx vertx) {
    RemoteJwks twoEntries = open(vertx, TIMEOUT, 2);
    URI a = server.publish("/a", publicKey("a"));
    URI b = server.publish("/b", publicKey("b"));
    URI c = server.publish("/c", publicKey("c"));
    twoEntries.keys(a, null).await();
    twoEntries.keys(b, null).await();
    twoEntries.keys(a, null).await();
    twoEntries.keys(c, null).await();

    twoEntries.keys(a, null).await();
    twoEntries.keys(b, null).await();

    assertEquals(1, server.hits("/a"), "used most recently, so kept");
    assertEquals(2, server.hits("/b"), "dropped when /c came, so fetched again");
  }

  @Test
  void aCertificateTheJvmDoesNotTrustIsRefused(Vertx vertx) {
    try (JwksServer selfSigned = JwksServer.startSelfSigned(vertx)) {
      URI uri = selfSigned.publish("/jwks", publicKey("ec"));

      RemoteJwks.FetchFailed failure = fetchFails(uri);

      assertTrue(failure.reason().contains("certification path"), failure.getMessage());
      assertEquals(0, selfSigned.hits("/jwks"));
    }
  }

  @Test
  void aUriThatIsNotHttpFails() {
    assertEquals("not an absolute http or https URI", fetchFails(URI.create("file:///etc/passwd")).reason());
  }
}
