package io.tokengate.user;

import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.Optional;
import java.util.function.Function;

/**
 * Hashing and verifying passwords (and human-chosen client secrets), always on the hashing pool. New hashes are
 * Argon2id; stored hashes verify in any format of PasswordVerifiers: Argon2, bcrypt, PBKDF2 and scrypt as
 * legacy systems wrote them, so that their users can be imported and rehashed at their next login.
 */
public final class PasswordHashing {

  private final HashingPool pool;
  private final Argon2Hasher hasher;

  public PasswordHashing(HashingPool pool, Argon2Hasher hasher) {
    this.pool = pool;
    this.hasher = hasher;
  }

  /** Whether a stored hash is in a format this server verifies, by its prefix: it may still be malformed. */
  /**
   * The family of a stored hash, for metrics and operators: argon2, bcrypt, pbkdf2, scrypt, or unknown. A fixed
   * set: safe as a metric label.
   */
  public static String scheme(String encoded) {
    if (encoded == null) {
      return "unknown";
    }
    if (encoded.startsWith("$argon2")) {
      return "argon2";
    }
    if (encoded.startsWith("$2")) {
      return "bcrypt";
    }
    if (encoded.startsWith("$pbkdf2") || encoded.startsWith("pbkdf2_")) {
      return "pbkdf2";
    }
    if (encoded.startsWith("$scrypt$") || encoded.startsWith("scrypt$")) {
      return "scrypt";
    }
    return "unknown";
  }

  public static boolean canVerify(String encoded) {
    return encoded != null && PasswordVerifiers.forHash(encoded).isPresent();
  }

  /**
   * Whether a hash to import is well-formed, within the bounds on its parameters, and in a format this server
   * verifies. Computes no hash, so it is cheap enough for any thread.
   */
  public static boolean isSupportedFormat(String encoded) {
    return encoded != null && PasswordVerifiers.isSupported(encoded);
  }

  /**
   * Whether a stored hash should be replaced by one in the {@code current} parameters once its password is known:
   * every hash but Argon2id, and Argon2id of another version, with a lower memory, iteration or parallelism cost, or
   * with a shorter salt or hash than new hashes get.
   */
  public static boolean needsRehash(String encoded, Argon2Hasher.Parameters current) {
    if (encoded == null || !Argon2Hasher.isArgon2(encoded)) {
      return true;
    }
    try {
      return !Argon2Hasher.parse(encoded).meets(current);
    } catch (IllegalArgumentException malformed) {
      return true;
    }
  }

  /** {@link #needsRehash(String, Argon2Hasher.Parameters)} against the parameters of new hashes. */
  public boolean needsRehash(String encoded) {
    return needsRehash(encoded, hasher.parameters());
  }

  /** Threads of the hashing pool. */
  public int threads() {
    return pool.threads();
  }

  public Future<String> hash(String password) {
    return withBytes(password, bytes -> () -> hasher.hash(bytes));
  }

  public Future<Boolean> verify(String password, String encoded) {
    return withBytes(password, verification(encoded));
  }

  /** @return a slot in the hashing pool for a verification to come, or empty when the pool is full */
  public Optional<HashingPool.Slot> reserve() {
    return pool.reserve();
  }

  /** Verifies in a slot taken with {@link #reserve()}. */
  public Future<Boolean> verify(HashingPool.Slot slot, String password, String encoded) {
    return withBytes(slot, password, verification(encoded));
  }

  private Function<byte[], Callable<Boolean>> verification(String encoded) {
    return bytes -> () -> Argon2Hasher.isArgon2(encoded)
      ? hasher.verify(bytes, encoded) : PasswordVerifiers.verify(bytes, encoded);
  }

  private <T> Future<T> withBytes(String password, Function<byte[], Callable<T>> work) {
    return pool.reserve().map(slot -> withBytes(slot, password, work))
      .orElseGet(() -> Future.failedFuture(HashingPool.busy()));
  }

  private <T> Future<T> withBytes(HashingPool.Slot slot, String password, Function<byte[], Callable<T>> work) {
    byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
    Callable<T> task = work.apply(bytes);
    return pool.run(slot, () -> {
      try {
        return task.call();
      } finally {
        // The String cannot be wiped, but the copy that reached the hash can.
        Arrays.fill(bytes, (byte) 0);
      }
    });
  }
}
