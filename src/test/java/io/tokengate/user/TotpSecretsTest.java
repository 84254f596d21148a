package io.tokengate.user;

import io.tokengate.user.Totp.Algorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TotpSecretsTest {

  private static final byte[] RFC_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

  @Test
  void newSecretsAre160RandomBits() {
    byte[] first = TotpSecrets.newSecret();
    byte[] second = TotpSecrets.newSecret();

    assertEquals(20, first.length);
    assertFalse(Arrays.equals(first, second));
    assertEquals(32, TotpSecrets.base32(first).length(), "no padding needed for 160 bits");
  }

  /** RFC 4648 §10. */
  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource({
    "'',     ''",
    "f,      MY======",
    "fo,     MZXQ====",
    "foo,    MZXW6===",
    "foob,   MZXW6YQ=",
    "fooba,  MZXW6YTB",
    "foobar, MZXW6YTBOI======",
  })
  void rfc4648TestVectors(String text, String encoded) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    String unpadded = encoded.replace("=", "");

    assertEquals(encoded, TotpSecrets.base32Padded(bytes));
    assertEquals(unpadded, TotpSecrets.base32(bytes));
    assertArrayEquals(bytes, TotpSecrets.fromBase32(encoded));
    assertArrayEquals(bytes, TotpSecrets.fromBase32(unpadded));
    assertArrayEquals(bytes, TotpSecrets.fromBase32(unpadded.toLowerCase()));
  }

  @Test
  void theRfcSecretHasItsWellKnownBase32Spelling() {
    assertEquals("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", TotpSecrets.base32(RFC_SECRET));
    assertArrayEquals(RFC_SECRET, TotpSecrets.fromBase32("gezdgnbvgy3tqojqGEZDGNBVGY3TQOJQ"));
  }

  @Test
  void base32RoundTripsEveryLengthAndByte() {
    Random random = new Random(6238);
    for (int length = 0; length <= 70; length++) {
      byte[] data = new byte[length];
      random.nextBytes(data);
      assertArrayEquals(data, TotpSecrets.fromBase32(TotpSecrets.base32(data)), "length " + length);
      assertArrayEquals(data, TotpSecrets.fromBase32(TotpSecrets.base32Padded(data)), "length " + length);
    }
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    assertArrayEquals(all, TotpSecrets.fromBase32(TotpSecrets.base32(all)));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "MZXW6YQ1", "MZXW6YQ0", "MZXW6YQ8", "MZXW 6YQ", "MZXW-6YQ", " MZXW6YQ", "MZXW6YQ\n", "MZ=XW6YQ", "MZXW6YQ=MY",
    "MZXW6YQÉ", "MZXW6YQ\u0000",
  })
  void invalidCharactersAreRefused(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TotpSecrets.fromBase32(text));
    assertFalse(e.getMessage().contains("MZ"), "the message does not repeat the secret");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "M", "MZX", "MZXW6Y", "MZXW6YTBO",        // lengths no encoding produces
    "MY=", "MY=======", "MZXW6YQ==", "MZXW6YTB========", "========",  // padding that does not fill the last block
    "MZ", "MZXR", "MZXW7", "MZXW6YR",         // non-zero unused trailing bits
  })
  void nonCanonicalBase32IsRefused(String text) {
    assertThrows(IllegalArgumentException.class, () -> TotpSecrets.fromBase32(text));
  }

  @Test
  void otpauthUriPercentEncodesTheLabelAndParameters() {
    String uri = TotpSecrets.otpauthUri("ACME Co", "Jürgen Müller:ops team", RFC_SECRET);

    assertEquals("otpauth://totp/ACME%20Co:J%C3%BCrgen%20M%C3%BCller%3Aops%20team"
      + "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30", uri);
    URI parsed = URI.create(uri);
    assertEquals("otpauth", parsed.getScheme());
    assertEquals("totp", parsed.getHost());
    assertEquals("/ACME Co:Jürgen Müller:ops team", parsed.getPath());
  }

  @Test
  void otpauthUriEncodesQueryDelimitersAndAstralCharacters() {
    String uri = TotpSecrets.otpauthUri("R&D=Ops/#1?", "a+b@example.com 😀", RFC_SECRET);

    assertEquals("otpauth://totp/R%26D%3DOps%2F%231%3F:a%2Bb%40example.com%20%F0%9F%98%80"
      + "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=R%26D%3DOps%2F%231%3F"
      + "&algorithm=SHA1&digits=6&period=30", uri);
    assertEquals("/R&D=Ops/#1?:a+b@example.com 😀", URI.create(uri).getPath());
  }

  @Test
  void otpauthUriNamesTheAlgorithmAndDigits() {
    String uri = TotpSecrets.otpauthUri("tokengate", "alice", RFC_SECRET, new Totp(Algorithm.SHA512, 8));

    assertEquals("otpauth://totp/tokengate:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=tokengate"
      + "&algorithm=SHA512&digits=8&period=30", uri);
  }

  @Test
  void otpauthUriRefusesAnIssuerWithAColonAndEmptyNames() {
    assertThrows(IllegalArgumentException.class, () -> TotpSecrets.otpauthUri("ACME:Co", "alice", RFC_SECRET));
    assertThrows(IllegalArgumentException.class, () -> TotpSecrets.otpauthUri("", "alice", RFC_SECRET));
    assertThrows(IllegalArgumentException.class, () -> TotpSecrets.otpauthUri("ACME", "", RFC_SECRET));
  }
}
