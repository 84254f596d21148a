package io.tokengate.user;

import io.tokengate.config.Config;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argon2 (RFC 9106) password hashes as PHC strings: {@code $argon2id$v=19$m=7168,t=5,p=1$<salt>$<hash>}.
 * New hashes use the configured Argon2id parameters; any Argon2 variant and parameters verify.
 * CPU- and memory-bound: call it only on the hashing pool.
 */
public final class Argon2Hasher {

  /** The parameters of new hashes. */
  public record Parameters(int memoryKib, int iterations, int parallelism) {
  }

  private static final Pattern PHC = Pattern.compile(
    "\\$(argon2id|argon2i|argon2d)(?:\\$v=(\\d+))?\\$m=(\\d{1,8}),t=(\\d{1,4}),p=(\\d{1,3})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  /**
   * Bounds on parameters read from stored hashes (and on the configured ones), so that a corrupt or hostile row
   * cannot exhaust the server: 64 MiB per hash (RFC 9106's second recommended option; a replica hashes on one thread
   * per core within a heap of a few hundred MiB), and at most eight passes over that much memory (about a second).
   */
  public static final int MAX_MEMORY_KIB = 64 * 1024;
  public static final long MAX_WORK_KIB = 8L * MAX_MEMORY_KIB;
  private static final int MAX_ITERATIONS = 1000;

  private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getDecoder();

  /** Where the hashes are computed: {@code auto} (libsodium if it loads), {@code native}, or {@code java}. */
  public enum Implementation { AUTO, NATIVE, JAVA }

  private final Parameters parameters;
  private final Optional<Sodium> sodium;
  private final SecureRandom random = new SecureRandom();

  /** As configured: {@code hashing.argon2.*} and {@code hashing.implementation}. */
  public static Argon2Hasher of(Config.Hashing config) {
    return new Argon2Hasher(new Parameters(config.argon2MemoryKib(), config.argon2Iterations(),
      config.argon2Parallelism()), Implementation.valueOf(config.implementation().toUpperCase(Locale.ROOT)));
  }

  /** Pure Java (Bouncy Castle). */
  public Argon2Hasher(Parameters parameters) {
    this(parameters, Implementation.JAVA);
  }

  /** @throws IllegalStateException for {@code NATIVE} when libsodium does not load */
  public Argon2Hasher(Parameters parameters, Implementation implementation) {
    this.parameters = parameters;
    this.sodium = implementation == Implementation.JAVA ? Optional.empty() : Sodium.load();
    if (implementation == Implementation.NATIVE && sodium.isEmpty()) {
      throw new IllegalStateException("hashing.implementation is native, and libsodium does not load "
        + "(install libsodium23)");
    }
  }

  /** "libsodium" or "Bouncy Castle", for the start-up line and hash-bench. */
  public String implementationName() {
    return sodium.isPresent() ? "libsodium" : "Bouncy Castle";
  }

  public Parameters parameters() {
    return parameters;
  }

  public static boolean isArgon2(String encoded) {
    return encoded.startsWith("$argon2");
  }

  public String hash(byte[] password) {
    if (sodium.isPresent() && parameters.parallelism() == 1) {
      return sodium.get().hashArgon2id(password, parameters.iterations(), parameters.memoryKib());
    }
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = compute(Argon2Parameters.ARGON2_id, Argon2Parameters.ARGON2_VERSION_13, parameters.memoryKib(),
      parameters.iterations(), parameters.parallelism(), salt, password, HASH_BYTES);
    return "$argon2id$v=19$m=" + parameters.memoryKib() + ",t=" + parameters.iterations() + ",p="
      + parameters.parallelism() + "$" + ENCODER.encodeToString(salt) + "$" + ENCODER.encodeToString(hash);
  }

  /** @throws IllegalArgumentException if {@code encoded} is not an Argon2 PHC string within bounds */
  public boolean verify(byte[] password, String encoded) {
    Phc phc = parse(encoded);
    return sodiumReads(phc) ? sodium.get().verify(password, encoded) : matches(password, phc);
  }

  /**
   * libsodium reads Argon2id and Argon2i (three passes or more) v1.3 with one lane; it is given only the common shape (16-byte salt, 32-byte
   * hash) so that a "no" from it always means a wrong password, never a string it could not read.
   */
  private boolean sodiumReads(Phc phc) {
    return sodium.isPresent() && phc.version() == Argon2Parameters.ARGON2_VERSION_13 && phc.parallelism() == 1
      // libsodium refuses Argon2i with fewer than three passes.
      && (phc.type() == Argon2Parameters.ARGON2_id || phc.type() == Argon2Parameters.ARGON2_i && phc.iterations() >= 3)
      && phc.salt().length == SALT_BYTES && phc.hash().length == HASH_BYTES;
  }

  /** An Argon2 PHC string, parsed and within bounds. */
  record Phc(int type, int version, int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {

    /** Whether a hash made with the {@code current} parameters would be no stronger than this one. */
    boolean meets(Parameters current) {
      return type == Argon2Parameters.ARGON2_id && version == Argon2Parameters.ARGON2_VERSION_13
        && memoryKib >= current.memoryKib() && iterations >= current.iterations()
        && parallelism >= current.parallelism() && salt.length >= SALT_BYTES && hash.length >= HASH_BYTES;
    }
  }

  /** @throws IllegalArgumentException if {@code encoded} is not an Argon2 PHC string within bounds */
  static Phc parse(String encoded) {
    Matcher phc = PHC.matcher(encoded);
    if (!phc.matches()) {
      throw new IllegalArgumentException("not an Argon2 PHC string");
    }
    int type = switch (phc.group(1)) {
      case "argon2id" -> Argon2Parameters.ARGON2_id;
      case "argon2i" -> Argon2Parameters.ARGON2_i;
      default -> Argon2Parameters.ARGON2_d;
    };
    int version = phc.group(2) == null ? Argon2Parameters.ARGON2_VERSION_10 : Integer.parseInt(phc.group(2));
    if (version != Argon2Parameters.ARGON2_VERSION_10 && version != Argon2Parameters.ARGON2_VERSION_13) {
      throw new IllegalArgumentException("unknown Argon2 version " + version);
    }
    int memory = Integer.parseInt(phc.group(3));
    int iterations = Integer.parseInt(phc.group(4));
    int parallelism = Integer.parseInt(phc.group(5));
    if (memory > MAX_MEMORY_KIB || iterations < 1 || iterations > MAX_ITERATIONS || parallelism < 1
      || memory < 8 * parallelism || (long) memory * iterations > MAX_WORK_KIB) {
      throw new IllegalArgumentException("Argon2 parameters out of bounds");
    }
    byte[] salt = DECODER.decode(phc.group(6));
    byte[] expected = DECODER.decode(phc.group(7));
    if (salt.length < 8 || expected.length < 4) {
      throw new IllegalArgumentException("Argon2 salt or hash too short");
    }
    return new Phc(type, version, memory, iterations, parallelism, salt, expected);
  }

  static boolean matches(byte[] password, Phc phc) {
    byte[] actual = compute(phc.type(), phc.version(), phc.memoryKib(), phc.iterations(), phc.parallelism(),
      phc.salt(), password, phc.hash().length);
    return MessageDigest.isEqual(phc.hash(), actual);
  }

  private static byte[] compute(int type, int version, int memoryKib, int iterations, int parallelism,
                                byte[] salt, byte[] password, int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(new Argon2Parameters.Builder(type)
      .withVersion(version)
      .withMemoryAsKB(memoryKib)
      .withIterations(iterations)
      .withParallelism(parallelism)
      .withSalt(salt)
      .build());
    byte[] out = new byte[length];
    generator.generateBytes(password, out);
    return out;
  }
}
