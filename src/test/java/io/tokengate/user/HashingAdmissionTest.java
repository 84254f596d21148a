package io.tokengate.user;

import io.tokengate.config.Config;
import io.tokengate.config.ConfigLoader;
import io.tokengate.oauth.OAuthException;
import io.tokengate.store.UserStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A password grant takes its place in the hashing pool before it looks the user up: when the pool is full it is
 * refused at once, without a database query, so an overload of logins does not also load PostgreSQL. The user store
 * here points at a port where nothing listens: a lookup would fail with a connection error, not with "busy".
 */
@ExtendWith(VertxExtension.class)
class HashingAdmissionTest {

  @Test
  void aFullPoolRefusesBeforeTheLookupAndAFreedSlotIsUsableAgain(Vertx vertx) throws Exception {
    Config config = ConfigLoader.load(null, Map.of());
    Pool nowhere = PgBuilder.pool()
      .connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(1).setDatabase("none").setUser("none"))
      .using(vertx).build();
    HashingPool pool = new HashingPool(vertx, 1, 0, new SimpleMeterRegistry());
    PasswordHashing hashing = new PasswordHashing(pool, Argon2Hasher.of(config.hashing()));
    UserStore store = new UserStore(nowhere);
    String decoy = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA";
    UserAuthenticator users = new UserAuthenticator(
      java.util.List.of(new LocalUserDirectory(store, hashing, decoy, new SimpleMeterRegistry())), hashing, decoy,
      new Lockout(new io.tokengate.store.LoginFailuresTable(nowhere), config.lockout(), Clock.systemUTC(), new UsernameDigests(new byte[32])),
      new SecondFactor(store, Optional.empty(), Clock.systemUTC()), new SimpleMeterRegistry());

    CountDownLatch release = new CountDownLatch(1);
    Future<Boolean> occupying = pool.submit(() -> release.await(10, TimeUnit.SECONDS));
    Throwable refused = users.authenticate("alice", "secret", Optional.empty(), OtpPolicy.OFF)
      .toCompletionStage().handle((user, failure) -> failure).toCompletableFuture().get(5, TimeUnit.SECONDS);
    OAuthException busy = assertInstanceOf(OAuthException.class, refused);
    assertEquals(HashingPool.busy().getMessage(), busy.getMessage());

    release.countDown();
    assertTrue(occupying.await());
    // With the slot free, the request gets as far as the lookup, which fails on the database instead.
    Throwable lookupFailed = users.authenticate("alice", "secret", Optional.empty(), OtpPolicy.OFF)
      .toCompletionStage().handle((user, failure) -> failure).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(!(lookupFailed instanceof OAuthException) || !busy.getMessage().equals(lookupFailed.getMessage()),
      "reached the database: " + lookupFailed);
    // ... and its slot was given back although no hash ran.
    Promise<Boolean> ran = Promise.promise();
    pool.submit(() -> true).onComplete(ran);
    assertTrue(ran.future().await());
    nowhere.close().await();
  }
}
