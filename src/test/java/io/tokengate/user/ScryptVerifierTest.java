package io.tokengate.user;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Vectors from independent sources: RFC 7914 §12 outputs written in passlib's and Django's formats, hashes published
 * in passlib's documentation and Django's tests, and hashes made with Python 3.11's hashlib.scrypt, formatted as
 * passlib documents. Every one was recomputed with hashlib.
 */
class ScryptVerifierTest {

  private final ScryptVerifier scrypt = new ScryptVerifier();

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void verifiesPasslibHashes() {
    // passlib's documentation (passlib.hash.scrypt)
    assertTrue(scrypt.verify(utf8("password"),
      "$scrypt$ln=8,r=8,p=1$WKs1xljLudd6z9kbY0wpJQ$yCR4iDZYDKv+iEJj6yHY0lv/epnfB6f/w1EbXrsJOuQ"));
    // hashlib, with '+' and '/' in salt and hash
    assertTrue(scrypt.verify(utf8("pässwörd ✓"),
      "$scrypt$ln=10,r=8,p=2$JxL0hOsp7fO+L+HvesggDA$vNNOQ4/okA1+HQrf0OFR/P4PqICo/V1gANxD/0ZHLig"));
    // RFC 7914 §12 #1 (empty password and salt, N=16, r=1, p=1): the first 32 of its 64 bytes
    assertTrue(scrypt.verify(new byte[0], "$scrypt$ln=4,r=1,p=1$$d9ZXYjhleyA7GcpCwYoEl/FrSETjB0ro39/6P+3iFEI"));
  }

  @Test
  void verifiesDjangoHashes() {
    // Django's auth_tests (TestUtilsHashPassScrypt)
    assertTrue(scrypt.verify(utf8("lètmein"), "scrypt$16384$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NY"
      + "afTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw=="));
    // RFC 7914 §12 #2 (N=1024, r=8, p=16)
    assertTrue(scrypt.verify(utf8("password"), "scrypt$1024$NaCl$8$16$/bq+HJ00cgB4VucZDQHp/nxq18vII3gw53N2Y0s3MWIurzDZ"
      + "LiKjiG/xCSedmDDaxyevuUqD7m2DYMvfoswGQA=="));
  }

  @Test
  void aWrongPasswordDoesNotVerify() {
    assertFalse(scrypt.verify(utf8("Password"),
      "$scrypt$ln=8,r=8,p=1$WKs1xljLudd6z9kbY0wpJQ$yCR4iDZYDKv+iEJj6yHY0lv/epnfB6f/w1EbXrsJOuQ"));
    assertFalse(scrypt.verify(utf8("lètmeinz"), "scrypt$16384$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NY"
      + "afTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw=="));
    assertFalse(scrypt.verify(utf8(" "), "$scrypt$ln=4,r=1,p=1$$d9ZXYjhleyA7GcpCwYoEl/FrSETjB0ro39/6P+3iFEI"));
  }

  @Test
  void parametersBeyondTheBoundsAreRefusedNotComputed() {
    for (String hash : new String[] {
      // RFC 7914 §12 #4: N=2^20, r=8 holds 1 GiB
      "scrypt$1048576$SodiumChloride$8$1$IQHLm2pRGq6t274Jz3D4gexWjVdKL/1Nq+XumCCtqkeOVv2PS6XQn/ocbZJ8QPTDNzBASeipUvvL9"
        + "Fxvp3pBpA==",
      // 128 MiB held
      "$scrypt$ln=17,r=8,p=1$WKs1xljLudd6z9kbY0wpJQ$yCR4iDZYDKv+iEJj6yHY0lv/epnfB6f/w1EbXrsJOuQ",
      "$scrypt$ln=8,r=8192,p=1$WKs1xljLudd6z9kbY0wpJQ$yCR4iDZYDKv+iEJj6yHY0lv/epnfB6f/w1EbXrsJOuQ",
      // 16 MiB held, but 512 MiB worth of passes
      "$scrypt$ln=14,r=8,p=32$WKs1xljLudd6z9kbY0wpJQ$yCR4iDZYDKv+iEJj6yHY0lv/epnfB6f/w1EbXrsJOuQ",
      // RFC 7914 §2: N below 2^(16r)
      "$scrypt$ln=16,r=1,p=1$WKs1xljLudd6z9kbY0wpJQ$yCR4iDZYDKv+iEJj6yHY0lv/epnfB6f/w1EbXrsJOuQ",
      "$scrypt$ln=40,r=8,p=1$WKs1xljLudd6z9kbY0wpJQ$yCR4iDZYDKv+iEJj6yHY0lv/epnfB6f/w1EbXrsJOuQ",
      "$scrypt$ln=99,r=8,p=1$WKs1xljLudd6z9kbY0wpJQ$yCR4iDZYDKv+iEJj6yHY0lv/epnfB6f/w1EbXrsJOuQ",
      "scrypt$9999999999$NaCl$9999$9999$/bq+HJ00cgB4VucZDQHp/nxq18vII3gw53N2Y0s3MWIurzDZLiKjiG/xCSedmDDaxyevuUqD7m2DYMvf"
        + "oswGQA=="}) {
      assertThrows(IllegalArgumentException.class, () -> scrypt.verify(utf8("password"), hash), hash);
    }
  }

  @Test
  void malformedHashesAreRefused() {
    for (String hash : new String[] {"", "$scrypt$", "scrypt$",
      "$scrypt$ln=0,r=8,p=1$WKs1xljLudd6z9kbY0wpJQ$yCR4iDZYDKv+iEJj6yHY0lv/epnfB6f/w1EbXrsJOuQ",
      "$scrypt$ln=8,r=0,p=1$WKs1xljLudd6z9kbY0wpJQ$yCR4iDZYDKv+iEJj6yHY0lv/epnfB6f/w1EbXrsJOuQ",
      "$scrypt$ln=8,r=8,p=0$WKs1xljLudd6z9kbY0wpJQ$yCR4iDZYDKv+iEJj6yHY0lv/epnfB6f/w1EbXrsJOuQ",
      "$scrypt$ln=8,p=1,r=8$WKs1xljLudd6z9kbY0wpJQ$yCR4iDZYDKv+iEJj6yHY0lv/epnfB6f/w1EbXrsJOuQ",
      "$scrypt$ln=8,r=8,p=1$WKs1xljLudd6z9kbY0wpJQ$yCR4iDZYDKv+iEJj6yHY0lv/epnfB6f/w1EbXrsJOuQ=",
      "$scrypt$ln=8,r=8,p=1$WKs1xljLudd6z9kbY0wpJQ$yCR4iDZYDKv.iEJj6yHY0lv/epnfB6f/w1EbXrsJOuQ",
      "$scrypt$ln=8,r=8,p=1$WKs1xljLudd6z9kbY0wpJQ$yCR4iDZYDKv+iEJj6yHY0lv/epnfB6f/w1EbXrsJOu",
      "$scrypt$ln=8,r=8,p=1$WKs1xljLudd6z9kbY0wpJQ",
      "$scrypt$ln=8,r=8,p=1$WKs1x$ljLudd6z9kbY0wpJQ$yCR4iDZYDKv+iEJj6yHY0lv/epnfB6f/w1EbXrsJOuQ",
      "scrypt$1000$NaCl$8$16$/bq+HJ00cgB4VucZDQHp/nxq18vII3gw53N2Y0s3MWIurzDZLiKjiG/xCSedmDDaxyevuUqD7m2DYMvfoswGQA==",
      "scrypt$1024$$8$16$/bq+HJ00cgB4VucZDQHp/nxq18vII3gw53N2Y0s3MWIurzDZLiKjiG/xCSedmDDaxyevuUqD7m2DYMvfoswGQA==",
      "scrypt$1024$NaCl$8$/bq+HJ00cgB4VucZDQHp/nxq18vII3gw53N2Y0s3MWIurzDZLiKjiG/xCSedmDDaxyevuUqD7m2DYMvfoswGQA==",
      "scrypt$NaCl$1024$8$16$/bq+HJ00cgB4VucZDQHp/nxq18vII3gw53N2Y0s3MWIurzDZLiKjiG/xCSedmDDaxyevuUqD7m2DYMvfoswGQA==",
      "scrypt$1024$NaCl$8$16$/bq+HJ00cgB4VucZDQHp/nxq18vII3gw53N2Y0s3MWIurzDZLiKjiG/xCSedmDDaxyevuUqD7m2DYMvfoswGQA",
      "scrypt$1024$NaCl$8$16$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafQ="}) {
      assertThrows(IllegalArgumentException.class, () -> scrypt.verify(utf8("password"), hash), hash);
      assertThrows(IllegalArgumentException.class, () -> scrypt.validate(hash), hash);
    }
  }
}
