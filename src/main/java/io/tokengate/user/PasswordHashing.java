package io.tokengate.user;

import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** Hashing and verifying passwords (and human-chosen client secrets), always on the hashing pool. */
public final class PasswordHashing {

  private final HashingPool pool;
  private final Argon2Hasher hasher;

  public PasswordHashing(HashingPool pool, Argon2Hasher hasher) {
    this.pool = pool;
    this.hasher = hasher;
  }

  /** Whether a stored hash is in a format this server verifies. */
  public static boolean canVerify(String encoded) {
    return encoded != null && Argon2Hasher.isArgon2(encoded);
  }

  public Future<String> hash(String password) {
    return withBytes(password, bytes -> () -> hasher.hash(bytes));
  }

  public Future<Boolean> verify(String password, String encoded) {
    return withBytes(password, bytes -> () -> hasher.verify(bytes, encoded));
  }

  private <T> Future<T> withBytes(String password, Function<byte[], Callable<T>> work) {
    byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
    Callable<T> task = work.apply(bytes);
    return pool.submit(() -> {
      try {
        return task.call();
      } finally {
        // The String cannot be wiped, but the copy that reached the hash can.
        Arrays.fill(bytes, (byte) 0);
      }
    });
  }
}
