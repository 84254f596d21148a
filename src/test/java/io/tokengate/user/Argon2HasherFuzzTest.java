package io.tokengate.user;

import io.tokengate.support.Fuzz;
import io.tokengate.support.FuzzInputs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A stored hash is read back from the database for every login: a corrupt or hostile PHC string must verify, not
 * verify, or be refused with {@link IllegalArgumentException}, and must never make one login cost seconds of CPU or
 * more memory than the server has.
 */
class Argon2HasherFuzzTest {

  private static final byte[] PASSWORD = "correct horse".getBytes(StandardCharsets.UTF_8);
  private static final String PHC_CHARS = "$,=0123456789argon2idvmtpAZaz+/";
  /**
   * What this test lets a mutated string ask for, so that the fuzzing itself stays fast and small: the bounds of
   * Argon2Hasher admit far more (see {@link #aStoredHashCannotDemandGibibytesOfMemory}).
   */
  private static final long BUDGET_MEMORY_KIB = 2 * 1024;
  private static final long BUDGET_ITERATIONS = 3;
  private static final Pattern COST = Pattern.compile("([mt])=(\\d+)");
  private static final String SALT_AND_HASH = "$c29tZXNhbHRzb21lc2FsdA$vzC0aiatXIduywRxbsQzF+ZHrCUYbFzNKjdAD9qbZlI";

  private static final Argon2Hasher HASHER = new Argon2Hasher(new Argon2Hasher.Parameters(64, 1, 1));
  private static final List<String> VALID = new ArrayList<>();

  @BeforeAll
  static void hash() {
    VALID.add(HASHER.hash(PASSWORD));
    VALID.add(new Argon2Hasher(new Argon2Hasher.Parameters(256, 2, 2)).hash(PASSWORD));
    VALID.add(new Argon2Hasher(new Argon2Hasher.Parameters(64, 1, 1)).hash(new byte[0]));
    // From the reference implementation (Argon2HasherTest), version 16 (0x10); mutations make the other types.
    VALID.add("$argon2id$v=16$m=256,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$DzQe3UcgfH57vLbHC08c4KAd3GUI9VXVbgF54/a/lXk");
  }

  @Test
  void mutatedHashesVerifyOrAreRefused() {
    Fuzz.tries(12_000).timePerTry(Duration.ofSeconds(1)).shrinking(FuzzInputs::smallerText)
      .check(Argon2HasherFuzzTest::mutatedHash, encoded -> {
        if (overBudget(encoded)) {
          return "over this test's budget";
        }
        try {
          return HASHER.verify(PASSWORD, encoded) ? "verified" : "not verified";
        } catch (IllegalArgumentException e) {
          return "refused";
        }
      }).reached("refused", 0.2).reached("not verified", 0.05).reached("verified", 0.01);
  }

  @Test
  void parametersOutOfBoundsAreRefusedBeforeAnyHashing() {
    Fuzz.tries(3_000).timePerTry(Duration.ofMillis(500)).check(Argon2HasherFuzzTest::outOfBounds, encoded -> {
      assertThrows(IllegalArgumentException.class, () -> HASHER.verify(PASSWORD, encoded));
      return "refused";
    });
  }

  // Found while fuzzing (the budget above is what keeps this test from tripping over it): the bounds on parameters
  // read from a stored hash are far above what the server can afford. MAX_MEMORY_KIB is 4 GiB and MAX_ITERATIONS
  // 1000, so one login against such a row allocates gibibytes (the pod's heap is about 192 MiB: OutOfMemoryError, and
  // -XX:+ExitOnOutOfMemoryError restarts the pod, at every login of that user) or hashes for minutes
  // (m=65536,t=1000 took 83 s on one core here). Before the bounds were tightened each test failed after two
  // seconds.

  @Test
  void aStoredHashCannotDemandGibibytesOfMemory() {
    String hostile = "$argon2id$v=19$m=1048576,t=1,p=1" + SALT_AND_HASH;
    assertTimeoutPreemptively(Duration.ofSeconds(2),
      () -> assertThrows(IllegalArgumentException.class, () -> HASHER.verify(PASSWORD, hostile)));
  }

  @Test
  void aStoredHashCannotDemandMinutesOfHashing() {
    String hostile = "$argon2id$v=19$m=65536,t=1000,p=1" + SALT_AND_HASH;
    assertTimeoutPreemptively(Duration.ofSeconds(2),
      () -> assertThrows(IllegalArgumentException.class, () -> HASHER.verify(PASSWORD, hostile)));
  }

  /** A hash whose parameters break at least one of Argon2Hasher's bounds; otherwise cheap to compute. */
  private static String outOfBounds(SplittableRandom random) {
    String version = "19";
    long memory = FuzzInputs.between(random, 8, 64);
    String iterations = "1";
    int parallelism = 1;
    int broken = 0;
    while (broken == 0 || random.nextInt(3) == 0) {
      broken++;
      switch (random.nextInt(6)) {
        case 0 -> version = FuzzInputs.pick(random, "0", "17", "18", "20", "99", "99999999999999999999");
        case 1 -> memory = FuzzInputs.pick(random, 4L * 1024 * 1024 + 1, 5_000_000L, 99_999_999L);
        case 2 -> iterations = FuzzInputs.pick(random, "0", "1001", "9999", "0000");
        case 3 -> {
          parallelism = FuzzInputs.between(random, 1, 999);
          memory = FuzzInputs.between(random, 0, 8 * parallelism - 1);
        }
        case 4 -> parallelism = 0;
        default -> memory = FuzzInputs.between(random, 0, 7);
      }
    }
    return "$argon2id$v=" + version + "$m=" + memory + ",t=" + iterations + ",p=" + parallelism + SALT_AND_HASH;
  }

  /** A valid hash with a few edits: characters flipped, inserted or cut, and the numbers in v=, m=, t=, p= changed. */
  private static String mutatedHash(SplittableRandom random) {
    String hash = FuzzInputs.pick(random, VALID);
    return switch (random.nextInt(5)) {
      case 0 -> hash;
      case 1 -> substituteNumber(random, hash);
      case 2 -> FuzzInputs.mutate(random, substituteNumber(random, hash), PHC_CHARS);
      default -> FuzzInputs.mutate(random, hash, PHC_CHARS);
    };
  }

  private static String substituteNumber(SplittableRandom random, String hash) {
    String field = FuzzInputs.pick(random, "v=", "m=", "t=", "p=");
    int at = hash.indexOf(field);
    if (at < 0) {
      return hash;
    }
    int end = at + 2;
    while (end < hash.length() && Character.isDigit(hash.charAt(end))) {
      end++;
    }
    String number = switch (random.nextInt(4)) {
      case 0 -> FuzzInputs.pick(random, "", "0", "00", "1", "7", "8", "16", "19", "013", "1000", "1001", "4194304",
        "4194305", "99999999", "999999999", "2147483648", "-1", "+1", "1e3", "\u0661\u0662");
      default -> String.valueOf(random.nextInt(field.equals("m=") ? 2_500 : 20));
    };
    return hash.substring(0, at + 2) + number + hash.substring(end);
  }

  /** Whether any m= or t= in the string asks for more than this test lets the hasher spend. */
  private static boolean overBudget(String encoded) {
    Matcher cost = COST.matcher(encoded);
    while (cost.find()) {
      String digits = cost.group(2);
      long value = digits.length() > 12 ? Long.MAX_VALUE : Long.parseLong(digits);
      if (value > (cost.group(1).equals("m") ? BUDGET_MEMORY_KIB : BUDGET_ITERATIONS)) {
        return true;
      }
    }
    return false;
  }
}
