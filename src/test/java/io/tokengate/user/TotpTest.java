package io.tokengate.user;

import io.tokengate.user.Totp.Algorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TotpTest {

  private static final byte[] SECRET = TotpSecrets.fromBase32("JBSWY3DPEHPK3PXP");
  private static final Instant NOW = Instant.parse("2025-03-14T15:09:26Z");

  /** RFC 6238 Appendix B: the seed is the ASCII digits "1234567890" repeated to the length of the hash. */
  private static byte[] rfc6238Seed(Algorithm algorithm) {
    int length = switch (algorithm) {
      case SHA1 -> 20;
      case SHA256 -> 32;
      case SHA512 -> 64;
    };
    return "1234567890".repeat(7).substring(0, length).getBytes(StandardCharsets.US_ASCII);
  }

  @ParameterizedTest(name = "{3} at {0}")
  @CsvSource({
    "59,          0000000000000001, 94287082, SHA1",
    "59,          0000000000000001, 46119246, SHA256",
    "59,          0000000000000001, 90693936, SHA512",
    "1111111109,  00000000023523EC, 07081804, SHA1",
    "1111111109,  00000000023523EC, 68084774, SHA256",
    "1111111109,  00000000023523EC, 25091201, SHA512",
    "1111111111,  00000000023523ED, 14050471, SHA1",
    "1111111111,  00000000023523ED, 67062674, SHA256",
    "1111111111,  00000000023523ED, 99943326, SHA512",
    "1234567890,  000000000273EF07, 89005924, SHA1",
    "1234567890,  000000000273EF07, 91819424, SHA256",
    "1234567890,  000000000273EF07, 93441116, SHA512",
    "2000000000,  0000000003F940AA, 69279037, SHA1",
    "2000000000,  0000000003F940AA, 90698825, SHA256",
    "2000000000,  0000000003F940AA, 38618901, SHA512",
    "20000000000, 0000000027BC86AA, 65353130, SHA1",
    "20000000000, 0000000027BC86AA, 77737706, SHA256",
    "20000000000, 0000000027BC86AA, 47863826, SHA512",
  })
  void rfc6238TestVectorsWithEightDigits(long unixTime, String stepHex, String expected, Algorithm algorithm) {
    Totp totp = new Totp(algorithm, 8);
    byte[] seed = rfc6238Seed(algorithm);
    Instant at = Instant.ofEpochSecond(unixTime);
    long step = Long.parseLong(stepHex, 16);

    assertEquals(step, Totp.timeStep(at));
    assertEquals(expected, totp.code(seed, step));
    assertEquals(OptionalLong.of(step), totp.matchingStep(seed, expected, at, 0));
  }

  /** RFC 4226 Appendix D: HOTP of the secret "12345678901234567890" for counters 0 to 9. */
  @Test
  void rfc4226HotpValuesWithSixDigits() {
    byte[] secret = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    String[] expected = {"755224", "287082", "359152", "969429", "338314",
      "254676", "287922", "162583", "399871", "520489"};
    Totp totp = new Totp();
    for (int counter = 0; counter < expected.length; counter++) {
      assertEquals(expected[counter], totp.code(secret, counter), "counter " + counter);
    }
  }

  @Test
  void theDefaultsAreSha1SixDigitsThirtySeconds() {
    Totp totp = new Totp();
    assertEquals(Algorithm.SHA1, totp.algorithm());
    assertEquals(6, totp.digits());
    assertEquals(Totp.timeStep(Instant.ofEpochSecond(0)) + 1, Totp.timeStep(Instant.ofEpochSecond(30)));
    assertEquals(Totp.timeStep(Instant.ofEpochSecond(30)), Totp.timeStep(Instant.ofEpochSecond(59, 999_999_999)));
  }

  @Test
  void theCurrentCodeMatchesItsStep() {
    Totp totp = new Totp();
    long step = Totp.timeStep(NOW);
    assertEquals(OptionalLong.of(step), totp.matchingStep(SECRET, totp.code(SECRET, step), NOW));
  }

  @Test
  void theStepsBeforeAndAfterMatchWithinTheDefaultWindowOfOne() {
    Totp totp = new Totp();
    long step = Totp.timeStep(NOW);

    assertEquals(OptionalLong.of(step - 1), totp.matchingStep(SECRET, totp.code(SECRET, step - 1), NOW));
    assertEquals(OptionalLong.of(step + 1), totp.matchingStep(SECRET, totp.code(SECRET, step + 1), NOW));
    assertEquals(OptionalLong.of(step - 1), totp.matchingStep(SECRET, totp.code(SECRET, step - 1), NOW, 1));
  }

  @Test
  void codesTwoStepsAwayAreRefusedWithAWindowOfOne() {
    Totp totp = new Totp();
    long step = Totp.timeStep(NOW);

    assertTrue(totp.matchingStep(SECRET, totp.code(SECRET, step - 2), NOW, 1).isEmpty());
    assertTrue(totp.matchingStep(SECRET, totp.code(SECRET, step + 2), NOW, 1).isEmpty());
    assertEquals(OptionalLong.of(step - 2), totp.matchingStep(SECRET, totp.code(SECRET, step - 2), NOW, 2));
  }

  @Test
  void aWindowOfZeroAcceptsOnlyTheCurrentStep() {
    Totp totp = new Totp();
    long step = Totp.timeStep(NOW);

    assertTrue(totp.matchingStep(SECRET, totp.code(SECRET, step - 1), NOW, 0).isEmpty());
    assertTrue(totp.matchingStep(SECRET, totp.code(SECRET, step + 1), NOW, 0).isEmpty());
    assertEquals(OptionalLong.of(step), totp.matchingStep(SECRET, totp.code(SECRET, step), NOW, 0));
  }

  @Test
  void aCodeForAnotherSecretDoesNotMatch() {
    Totp totp = new Totp();
    byte[] other = TotpSecrets.fromBase32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    String code = totp.code(other, Totp.timeStep(NOW));

    assertTrue(totp.matchingStep(SECRET, code, NOW).isEmpty());
  }

  @Test
  void codesThatAreNotExactlySixAsciiDigitsAreRefused() {
    Totp totp = new Totp();
    String valid = totp.code(SECRET, Totp.timeStep(NOW));
    String arabicIndic = valid.chars().mapToObj(c -> String.valueOf((char) ('\u0660' + c - '0')))
      .reduce("", String::concat);
    String fullwidth = valid.chars().mapToObj(c -> String.valueOf((char) ('\uFF10' + c - '0')))
      .reduce("", String::concat);

    for (String code : new String[] {
      valid.substring(1), valid + "0", "0" + valid, " " + valid, valid + " ", valid + "\n",
      valid.substring(0, 3) + " " + valid.substring(3), valid.substring(0, 5) + "a", "+" + valid.substring(1),
      "-" + valid.substring(1), arabicIndic, fullwidth, "", null}) {
      assertTrue(totp.matchingStep(SECRET, code, NOW).isEmpty(), "refused: " + code);
    }
  }

  @Test
  void anEightDigitTotpRefusesSixDigitCodes() {
    Totp totp = new Totp(Algorithm.SHA1, 8);
    String eight = totp.code(SECRET, Totp.timeStep(NOW));

    assertEquals(OptionalLong.of(Totp.timeStep(NOW)), totp.matchingStep(SECRET, eight, NOW));
    assertTrue(totp.matchingStep(SECRET, eight.substring(2), NOW).isEmpty());
    assertTrue(new Totp().matchingStep(SECRET, eight, NOW).isEmpty());
  }

  @Test
  void theSixDigitCodeIsTheLastSixDigitsOfTheEightDigitOne() {
    long step = Totp.timeStep(NOW);
    assertEquals(new Totp(Algorithm.SHA1, 8).code(SECRET, step).substring(2), new Totp().code(SECRET, step));
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, Totp.MAX_WINDOW + 1})
  void aWindowOutOfBoundsIsAnError(int window) {
    Totp totp = new Totp();
    assertThrows(IllegalArgumentException.class, () -> totp.matchingStep(SECRET, "123456", NOW, window));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 5, 7, 9, 10})
  void onlySixOrEightDigitsAreSupported(int digits) {
    assertThrows(IllegalArgumentException.class, () -> new Totp(Algorithm.SHA1, digits));
  }

  @Test
  void anEmptySecretIsAnError() {
    Totp totp = new Totp();
    assertThrows(IllegalArgumentException.class, () -> totp.code(new byte[0], 1));
    assertThrows(IllegalArgumentException.class, () -> totp.matchingStep(new byte[0], "123456", NOW));
  }

  @Test
  void stepsBeforeTheEpochAreNotSearched() {
    Totp totp = new Totp();
    Instant epoch = Instant.ofEpochSecond(0);
    assertEquals(OptionalLong.of(0), totp.matchingStep(SECRET, totp.code(SECRET, 0), epoch));
    assertTrue(totp.matchingStep(SECRET, totp.code(SECRET, -1), epoch).isEmpty());
  }
}
