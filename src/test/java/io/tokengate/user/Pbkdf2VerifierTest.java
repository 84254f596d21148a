package io.tokengate.user;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Vectors from independent sources: RFC 6070 (PBKDF2-HMAC-SHA1) and RFC 7914 §11 (PBKDF2-HMAC-SHA256) outputs, written
 * in passlib's and Django's formats; hashes published in passlib's and Django's documentation and tests; and hashes
 * made with Python 3.11's hashlib.pbkdf2_hmac, formatted as passlib and Django document. Every one was recomputed with
 * hashlib.
 */
class Pbkdf2VerifierTest {

  private final Pbkdf2Verifier pbkdf2 = new Pbkdf2Verifier();

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void derivesTheRfc6070AndRfc7914Outputs() {
    HexFormat hex = HexFormat.of();
    assertArrayEquals(hex.parseHex("0c60c80f961f0e71f3a9b524af6012062fe037a6"),
      Pbkdf2Verifier.derive("HmacSHA1", utf8("password"), utf8("salt"), 1, 20));
    assertArrayEquals(hex.parseHex("ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"),
      Pbkdf2Verifier.derive("HmacSHA1", utf8("password"), utf8("salt"), 2, 20));
    assertArrayEquals(hex.parseHex("3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"),
      Pbkdf2Verifier.derive("HmacSHA1", utf8("passwordPASSWORDpassword"), utf8("saltSALTsaltSALTsaltSALTsaltSALTsalt"),
        4096, 25));
    assertArrayEquals(hex.parseHex("56fa6aa75548099dcc37d7f03425e0c3"),
      Pbkdf2Verifier.derive("HmacSHA1", utf8("pass\0word"), utf8("sa\0lt"), 4096, 16));
    assertArrayEquals(hex.parseHex("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"),
      Pbkdf2Verifier.derive("HmacSHA256", utf8("passwd"), utf8("salt"), 1, 64));
    assertArrayEquals(hex.parseHex("4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
        + "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d"),
      Pbkdf2Verifier.derive("HmacSHA256", utf8("Password"), utf8("NaCl"), 80000, 64));
  }

  @Test
  void verifiesPasslibHashes() {
    // passlib's documentation (pbkdf2_digest)
    assertTrue(pbkdf2.verify(utf8("password"),
      "$pbkdf2-sha256$6400$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M"));
    assertTrue(pbkdf2.verify(utf8("password"),
      "$pbkdf2-sha256$8000$XAuBMIYQQogxRg$tRRlz8hYn63B9LYiCd6PRo6FMiunY9ozmMMI3srxeRE"));
    // hashlib, with '.' for '+' in salt and hash
    assertTrue(pbkdf2.verify(utf8("pässwörd"), "$pbkdf2-sha512$1000$mSrR2g7gra683Y.lMcrjnw$KyNnDRvWZC/sqhYLFQ0iIwew3Vb210/"
      + "Q3JbBdVtE5wFhtFHkihWCf.jh1cKvuThps0ykoeCYofjddxotuALgkA"));
    assertTrue(pbkdf2.verify(utf8("password"), "$pbkdf2$1000$7VB26iWxlnOPgJgClvfVkw$Zx7NzkNa79nZCqGr3wWdSyG8.IY"));
    // RFC 6070 #3
    assertTrue(pbkdf2.verify(utf8("password"), "$pbkdf2$4096$c2FsdA$SwB5AbdlSJq.rUnZJvch0GWkKcE"));
  }

  @Test
  void verifiesDjangoHashes() {
    // Django's auth_tests of 1.5 and 1.6 (10,000 iterations then), as djangohashers carries them
    assertTrue(pbkdf2.verify(utf8("lètmein"), "pbkdf2_sha256$10000$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY="));
    // djangohashers' README (Django 1.9's 24,000 iterations)
    assertTrue(pbkdf2.verify(utf8("KRONOS"), "pbkdf2_sha1$24000$seasalt$F+kiWNHXbMBcwgxsvSKFCWHnZZ0="));
    // RFC 6070 #3
    assertTrue(pbkdf2.verify(utf8("password"), "pbkdf2_sha1$4096$salt$SwB5AbdlSJq+rUnZJvch0GWkKcE="));
    // hashlib
    assertTrue(pbkdf2.verify(utf8("pässwörd ✓"),
      "pbkdf2_sha256$1000$aB3dE6gH9jK2mN5pQ8sT1v$DsjgXJ6vA+Xabd3GTc6YKk3ukc3hpkWmSumpLFy5OBU="));
  }

  @Test
  void anEmptyPasswordVerifies() {
    // hashlib; the JDK refuses an empty HMAC key, HMAC pads it to the same key as one zero byte
    assertTrue(pbkdf2.verify(new byte[0], "pbkdf2_sha256$1000$seasalt$XHfRVmyEZRTCcSbqGP00JKv0fRwYHK0ogjPZdSJxCXk="));
    assertTrue(pbkdf2.verify(new byte[0], "pbkdf2_sha1$1000$seasalt$dbFbGdNSsmpcbEzYDW8WUNxI63I="));
    assertFalse(pbkdf2.verify(utf8(" "), "pbkdf2_sha1$1000$seasalt$dbFbGdNSsmpcbEzYDW8WUNxI63I="));
  }

  @Test
  void everyByteCountsNulsIncluded() {
    // hashlib: unlike bcrypt, a NUL is an ordinary byte (RFC 6070 #6 derives from "pass\0word" too)
    String hash = "$pbkdf2-sha256$1000$c2EAbHQ$YXQSe75vMTPXD6gE6Ur2rD/knV.xAzOJJ/S66arVHvk";
    assertTrue(pbkdf2.verify(utf8("pass\0word"), hash));
    assertFalse(pbkdf2.verify(utf8("pass"), hash));
    assertFalse(pbkdf2.verify(utf8("pass\0worD"), hash));
  }

  @Test
  void trailingNulsMakeTheSameHmacKeyAsInEveryImplementation() {
    // RFC 2104 §2 pads a key shorter than the block with zeros: "password" and "password\0" are one key (hashlib
    // agrees), here as in passlib and Django; scrypt starts with the same HMAC. Registration refuses NULs anyway.
    String hash = "$pbkdf2-sha256$6400$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M";
    assertTrue(pbkdf2.verify(utf8("password\0"), hash));
    assertTrue(pbkdf2.verify(utf8("password\0\0\0"), hash));
    assertFalse(pbkdf2.verify(utf8("\0password"), hash));
  }

  @Test
  void aWrongPasswordDoesNotVerify() {
    assertFalse(pbkdf2.verify(utf8("Password"),
      "$pbkdf2-sha256$6400$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M"));
    assertFalse(pbkdf2.verify(utf8("passwörd"), "$pbkdf2-sha512$1000$mSrR2g7gra683Y.lMcrjnw$KyNnDRvWZC/sqhYLFQ0iIwew3Vb210/"
      + "Q3JbBdVtE5wFhtFHkihWCf.jh1cKvuThps0ykoeCYofjddxotuALgkA"));
    assertFalse(pbkdf2.verify(utf8("letmein"), "pbkdf2_sha256$10000$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY="));
    assertFalse(pbkdf2.verify(utf8("kronos"), "pbkdf2_sha1$24000$seasalt$F+kiWNHXbMBcwgxsvSKFCWHnZZ0="));
  }

  @Test
  void iterationsBeyondTheBoundAreRefusedNotComputed() {
    // RFC 6070 #4: 16,777,216 iterations
    assertThrows(IllegalArgumentException.class,
      () -> pbkdf2.verify(utf8("password"), "$pbkdf2$16777216$c2FsdA$7v49Yc1NpOTplFs9a6IVjCY06YQ"));
    assertThrows(IllegalArgumentException.class, () -> pbkdf2.verify(utf8("password"),
      "$pbkdf2-sha256$10000001$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M"));
    assertThrows(IllegalArgumentException.class,
      () -> pbkdf2.verify(utf8("password"), "pbkdf2_sha1$9999999999$salt$SwB5AbdlSJq+rUnZJvch0GWkKcE="));
  }

  @Test
  void aHashNotAsLongAsTheHmacOutputIsRefused() {
    // RFC 6070 #5 (25 bytes of SHA-1) and RFC 7914 §11 (64 bytes of SHA-256): right, but not what passlib writes
    for (String hash : new String[] {
      "$pbkdf2$4096$c2FsdFNBTFRzYWx0U0FMVHNhbHRTQUxUc2FsdFNBTFRzYWx0$PS7sT.QchJuAyNg2YsDkSospGpZM8vBwOA",
      "$pbkdf2-sha256$1$c2FsdA$VawEblbjCJ/sFpHCJUS2BflBhSFt3gRl5oudV8INrLxJypzM8Xm2RZkWZLOdd.8xfHG4RbHjC9UJESBB06GXgw",
      "$pbkdf2-sha256$6400$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9",
      "$pbkdf2-sha512$6400$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M",
      "pbkdf2_sha1$10000$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY="}) {
      assertThrows(IllegalArgumentException.class, () -> pbkdf2.verify(utf8("password"), hash), hash);
    }
  }

  @Test
  void malformedHashesAreRefused() {
    for (String hash : new String[] {"", "$pbkdf2-sha256$", "$pbkdf2-sha256$6400$0ZrzXitFSGltTQnBWOsdAw",
      "$pbkdf2-sha256$0$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M",
      "$pbkdf2-sha256$x$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M",
      "$pbkdf2-sha256$6400$0Zrz+itFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M",
      "$pbkdf2-sha256$6400$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M=",
      "$pbkdf2-sha256$6400$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0X",
      "$pbkdf2-sha384$6400$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M",
      "pbkdf2_sha256$10000$$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=",
      "pbkdf2_sha256$10000$sea$salt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=",
      "pbkdf2_sha256$10000$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY==",
      "pbkdf2_sha256$10000$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtV=",
      "pbkdf2_sha256$10000$seasalt$CWWFdHOWwPnki7Hv.cqN9iA2T3KLW1cf2uZ5kvArtVY=",
      "pbkdf2_sha512$10000$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY="}) {
      assertThrows(IllegalArgumentException.class, () -> pbkdf2.verify(utf8("password"), hash), hash);
      assertThrows(IllegalArgumentException.class, () -> pbkdf2.validate(hash), hash);
    }
  }
}
