package io.tokengate.user;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Time-based one-time passwords (RFC 6238): the HOTP value (RFC 4226) of the number of 30-second steps since the
 * Unix epoch. HMAC-SHA-1 with 6 digits is what every authenticator app understands; SHA-256, SHA-512 and 8 digits
 * are there for the apps that honour the otpauth URI's {@code algorithm} and {@code digits}.
 *
 * <p><b>Replays are the caller's to refuse.</b> A code stays valid for its whole step and, with a window, for the
 * steps around it, so a code that matches is not yet a code to accept. The caller remembers, per user, the last
 * step it accepted and refuses a code whose {@link #matchingStep matching step} is not greater than it (RFC 6238
 * §5.2: "the verifier MUST NOT accept the second attempt of the OTP after the successful validation has been issued
 * for the first OTP"). Record the new step with a conditional write (for example {@code UPDATE ... SET last_step = $2
 * WHERE id = $1 AND last_step < $2}, accepting only if a row changed) so that two requests racing with one code
 * cannot both succeed.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Totp {

  /** The HMAC of RFC 6238 §1.2; the names are the otpauth URI's {@code algorithm} values. */
  public enum Algorithm {
    SHA1("HmacSHA1"), SHA256("HmacSHA256"), SHA512("HmacSHA512");

    private final String jcaName;

    Algorithm(String jcaName) {
      this.jcaName = jcaName;
    }
  }

  /** The time step X of RFC 6238 §4.1, in seconds (the recommended default, and the only one apps agree on). */
  public static final int STEP_SECONDS = 30;
  public static final int DEFAULT_DIGITS = 6;
  /** Steps accepted either side of the current one: RFC 6238 §5.2 recommends at most one for network delay. */
  public static final int DEFAULT_WINDOW = 1;
  /** A bound on the window, so that a misconfiguration cannot turn the check into a search. */
  public static final int MAX_WINDOW = 10;

  private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

  private final Algorithm algorithm;
  private final int digits;

  /** HMAC-SHA-1, 6 digits. */
  public Totp() {
    this(Algorithm.SHA1, DEFAULT_DIGITS);
  }

  /** @param digits 6 or 8 */
  public Totp(Algorithm algorithm, int digits) {
    if (algorithm == null) {
      throw new IllegalArgumentException("a TOTP algorithm is required");
    }
    if (digits != 6 && digits != 8) {
      throw new IllegalArgumentException("a TOTP code has 6 or 8 digits");
    }
    this.algorithm = algorithm;
    this.digits = digits;
  }

  public Algorithm algorithm() {
    return algorithm;
  }

  public int digits() {
    return digits;
  }

  /** The time step T of RFC 6238 §4.2 that contains {@code instant}: whole steps since the Unix epoch (T0 = 0). */
  public static long timeStep(Instant instant) {
    return Math.floorDiv(instant.getEpochSecond(), STEP_SECONDS);
  }

  /**
   * The code of one time step: HOTP(secret, timeStep) of RFC 4226 §5.3, zero-padded to the number of digits. With
   * the step taken as a counter this is also plain HOTP.
   */
  public String code(byte[] secret, long timeStep) {
    return new String(code(mac(secret), timeStep), StandardCharsets.US_ASCII);
  }

  /** {@link #matchingStep(byte[], String, Instant, int)} with the {@linkplain #DEFAULT_WINDOW default window}. */
  public OptionalLong matchingStep(byte[] secret, String code, Instant now) {
    return matchingStep(secret, code, now, DEFAULT_WINDOW);
  }

  /**
   * Finds the time step, within {@code window} steps either side of the one containing {@code now}, whose code is
   * {@code code}. Every step of the window is computed and compared in constant time, so the time taken tells
   * neither how many digits were right nor which step matched. Should a code match two steps of the window (a
   * chance of about one in 10^digits) the later one is returned.
   *
   * <p>A match is not an acceptance: the caller must refuse the step if it is not greater than the last step it
   * accepted for this user, and then remember it (see the class comment).
   *
   * @param code what the user typed: exactly {@link #digits()} ASCII digits, nothing else (no spaces) — anything
   *             else, including {@code null}, matches nothing
   * @param window 0 to {@link #MAX_WINDOW}
   * @return the matching step, or empty if the code is malformed or matches no step of the window
   */
  public OptionalLong matchingStep(byte[] secret, String code, Instant now, int window) {
    if (window < 0 || window > MAX_WINDOW) {
      throw new IllegalArgumentException("the TOTP window is 0 to " + MAX_WINDOW + " steps");
    }
    Mac mac = mac(secret);
    if (!isWellFormed(code)) {
      return OptionalLong.empty();
    }
    byte[] presented = code.getBytes(StandardCharsets.US_ASCII);
    long current = timeStep(now);
    long matched = -1;
    for (long step = Math.max(0, current - window); step <= current + window; step++) {
      // No early exit: each step costs the same whether or not an earlier one matched.
      if (MessageDigest.isEqual(code(mac, step), presented)) {
        matched = step;
      }
    }
    return matched < 0 ? OptionalLong.empty() : OptionalLong.of(matched);
  }

  private boolean isWellFormed(String code) {
    if (code == null || code.length() != digits) {
      return false;
    }
    for (int i = 0; i < code.length(); i++) {
      char c = code.charAt(i);
      // Not Character.isDigit: that would let other scripts' digits through.
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private byte[] code(Mac mac, long step) {
    // RFC 4226 §5.2: the counter is 8 bytes, big-endian.
    byte[] hash = mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(step).array());
    // RFC 4226 §5.3 dynamic truncation; RFC 6238 applies it unchanged to the longer SHA-256/512 hashes.
    int offset = hash[hash.length - 1] & 0x0f;
    int binary = (hash[offset] & 0x7f) << 24
      | (hash[offset + 1] & 0xff) << 16
      | (hash[offset + 2] & 0xff) << 8
      | (hash[offset + 3] & 0xff);
    int value = binary % POWERS_OF_TEN[digits];
    byte[] ascii = new byte[digits];
    for (int i = digits - 1; i >= 0; i--) {
      ascii[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    return ascii;
  }

  private Mac mac(byte[] secret) {
    if (secret == null || secret.length == 0) {
      throw new IllegalArgumentException("a TOTP secret cannot be empty");
    }
    try {
      Mac mac = Mac.getInstance(algorithm.jcaName);
      mac.init(new SecretKeySpec(secret, algorithm.jcaName));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm.jcaName + " is unavailable", e);
    }
  }
}
