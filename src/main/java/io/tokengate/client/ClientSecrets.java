package io.tokengate.client;

import io.tokengate.crypto.Digests;
import io.tokengate.user.HashingPool;
import io.tokengate.user.PasswordHashing;
import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client secrets at rest. A secret tokengate generates has 256 random bits, so a plain SHA-256 of it cannot be
 * reversed by guessing and is checked in microseconds: {@code $sha256$<base64url>}. A secret a human chose may be
 * guessable, so it is hashed like a password (Argon2id) and checked on the hashing pool.
 */
public final class ClientSecrets {

  private static final String SHA256_PREFIX = "$sha256$";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final PasswordHashing hashing;
  /**
   * Chosen secrets that verified, by client: the stored hash and the SHA-256 of the secret that matched it. A busy
   * client with a chosen secret then costs one Argon2id verification per secret change instead of one per request.
   * One entry per client at most; an entry for a hash that has since been replaced no longer matches anything.
   */
  private final ConcurrentMap<String, Verified> verifiedChosen = new ConcurrentHashMap<>();

  private record Verified(String storedHash, byte[] secretDigest) {
  }

  /**
   * Chosen-secret verifications that may hold places on the hashing pool at once: those requests are not
   * authenticated yet, so a stream of wrong secrets for such a client must not take the places of password logins.
   */
  private final int maxChosenInFlight;
  private final AtomicInteger chosenInFlight = new AtomicInteger();
  private final Runnable onRefusal;

  /** For the CLI: one verification at a time, refusals not counted. */
  public ClientSecrets(PasswordHashing hashing) {
    this(hashing, 1, () -> {
    });
  }

  /**
   * @param maxChosenInFlight Argon2id verifications of chosen client secrets at once (a small part of the pool)
   * @param onRefusal         counts a verification refused because that many were in flight
   */
  public ClientSecrets(PasswordHashing hashing, int maxChosenInFlight, Runnable onRefusal) {
    this.hashing = hashing;
    this.maxChosenInFlight = maxChosenInFlight;
    this.onRefusal = onRefusal;
  }

  /** A new 256-bit secret, base64url without padding (43 characters, safe in Basic and in forms unencoded). */
  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return BASE64URL.encodeToString(bytes);
  }

  /** A new 512-bit secret for a client_secret_jwt client: its HMAC key, long enough for HS512 (86 characters). */
  public static String generateHmacKey() {
    byte[] bytes = new byte[64];
    RANDOM.nextBytes(bytes);
    return BASE64URL.encodeToString(bytes);
  }

  /** The stored form of a secret from {@link #generate()} or {@link #generateHmacKey()}. */
  public static String hashGenerated(String secret) {
    return SHA256_PREFIX + BASE64URL.encodeToString(sha256(secret.getBytes(StandardCharsets.UTF_8)));
  }

  /** The stored form of a secret chosen by a human. */
  public Future<String> hashChosen(String secret) {
    return hashing.hash(secret);
  }

  public Future<Boolean> verify(String clientId, String presented, String stored) {
    if (stored.startsWith(SHA256_PREFIX)) {
      byte[] expected = stored.substring(SHA256_PREFIX.length()).getBytes(StandardCharsets.US_ASCII);
      byte[] actual = BASE64URL.encode(sha256(presented.getBytes(StandardCharsets.UTF_8)));
      return Future.succeededFuture(MessageDigest.isEqual(expected, actual));
    }
    if (PasswordHashing.canVerify(stored)) {
      byte[] digest = sha256(presented.getBytes(StandardCharsets.UTF_8));
      Verified known = verifiedChosen.get(clientId);
      if (known != null && known.storedHash().equals(stored) && MessageDigest.isEqual(known.secretDigest(), digest)) {
        return Future.succeededFuture(true);
      }
      if (chosenInFlight.incrementAndGet() > maxChosenInFlight) {
        chosenInFlight.decrementAndGet();
        onRefusal.run();
        return Future.failedFuture(HashingPool.busy());
      }
      return hashing.verify(presented, stored)
        .onComplete(done -> chosenInFlight.decrementAndGet())
        .onSuccess(matches -> {
          if (matches) {
            verifiedChosen.put(clientId, new Verified(stored, digest));
          }
        });
    }
    return Future.succeededFuture(false);
  }

  private static byte[] sha256(byte[] bytes) {
    return Digests.sha256(bytes);
  }
}
