package io.tokengate.user;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Vectors from independent implementations:
 * <ul>
 *   <li>CB: the test table of Openwall's crypt_blowfish 1.3 (wrapper.c, public domain), which libxcrypt's crypt(3) on
 *   Debian 12 reproduces;</li>
 *   <li>JS: bcryptjs (npm) {@code hashSync(password, salt)} with a fixed salt, 3.0.3 for {@code $2b$} and 2.4.3 for
 *   {@code $2a$}, each also reproduced by libxcrypt's crypt(3);</li>
 *   <li>XC: libxcrypt's crypt(3) on Debian 12 (a C implementation derived from crypt_blowfish), called through
 *   ctypes, so the password is a C string.</li>
 * </ul>
 */
class BcryptVerifierTest {

  private final BcryptVerifier bcrypt = new BcryptVerifier();

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }

  @Test
  void verifiesCryptBlowfishTestVectorsOfEveryVersion() {
    assertTrue(bcrypt.verify(utf8("U*U"), "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
    assertTrue(bcrypt.verify(bytes(0xa3), "$2a$05$/OK.fbVrR/bpIqNJ5ianF.Sa7shbm4.OzKpvFnX1pQLmQW96oUlCq"));
    assertTrue(bcrypt.verify(bytes(0xa3), "$2b$05$/OK.fbVrR/bpIqNJ5ianF.Sa7shbm4.OzKpvFnX1pQLmQW96oUlCq"));
    assertTrue(bcrypt.verify(bytes(0xa3), "$2y$05$/OK.fbVrR/bpIqNJ5ianF.Sa7shbm4.OzKpvFnX1pQLmQW96oUlCq"));
    assertTrue(bcrypt.verify(bytes(0xff, 0xff, 0xa3), "$2b$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e"));
    assertTrue(bcrypt.verify(bytes(0xff, 0xff, 0xa3), "$2y$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e"));
    assertTrue(bcrypt.verify(new byte[0], "$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy"));
  }

  @Test
  void verifiesHashesOfBcryptjsAndLibxcrypt() {
    // JS
    assertTrue(bcrypt.verify(utf8("correct horse battery staple"),
      "$2b$04$abcdefghijklmnopqrstuu7EJV7kdjBBQxyb0HjTh9KS7.Lah/6CG"));
    assertTrue(bcrypt.verify(utf8("pässwörd ✓"), "$2b$05$0123456789ABCDEFGHIJKOmXUV8C6QPTRjfgdqE8rTM5D1KBBJU9."));
    assertTrue(bcrypt.verify(utf8("pässwörd ✓"), "$2a$04$SaltSaltSaltSaltSaltSeFBcan/exwndbTK54KFo2Jf5vfaS4y/."));
    // XC: $2y$ is the same computation as $2b$, so the same hash after the prefix
    assertTrue(bcrypt.verify(utf8("correct horse battery staple"),
      "$2y$04$abcdefghijklmnopqrstuu7EJV7kdjBBQxyb0HjTh9KS7.Lah/6CG"));
    assertTrue(bcrypt.verify(utf8("pässwörd ✓"), "$2y$05$0123456789ABCDEFGHIJKOmXUV8C6QPTRjfgdqE8rTM5D1KBBJU9."));
  }

  @Test
  void aWrongPasswordDoesNotVerify() {
    assertFalse(bcrypt.verify(utf8("correct horse battery stapler"),
      "$2b$04$abcdefghijklmnopqrstuu7EJV7kdjBBQxyb0HjTh9KS7.Lah/6CG"));
    assertFalse(bcrypt.verify(utf8("passwörd ✓"), "$2y$05$0123456789ABCDEFGHIJKOmXUV8C6QPTRjfgdqE8rTM5D1KBBJU9."));
    assertFalse(bcrypt.verify(utf8("U*U*"), "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
    assertFalse(bcrypt.verify(new byte[1], "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
  }

  @Test
  void onlyTheFirst72BytesCountAsInTheCImplementations() {
    // CB: 72 ASCII bytes, then more that the hash ignores
    String cb72 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    String cbHash = "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui";
    assertTrue(bcrypt.verify(utf8(cb72 + "chars after 72 are ignored"), cbHash));
    assertTrue(bcrypt.verify(utf8(cb72), cbHash));
    assertTrue(bcrypt.verify(utf8(cb72 + "anything else at all"), cbHash));
    // CB: 72 bytes with the high bit set, then more
    byte[] highBytes = new byte[72 + 35];
    Arrays.fill(highBytes, 0, 72, (byte) 0xaa);
    System.arraycopy(utf8("chars after 72 are ignored as usual"), 0, highBytes, 72, 35);
    assertTrue(bcrypt.verify(highBytes, "$2a$05$/OK.fbVrR/bpIqNJ5ianF.swQOIzjOiJ9GHEPuhEkvqrUyvWhEMx6"));
    assertTrue(bcrypt.verify(Arrays.copyOf(highBytes, 72),
      "$2a$05$/OK.fbVrR/bpIqNJ5ianF.swQOIzjOiJ9GHEPuhEkvqrUyvWhEMx6"));

    // JS: an 81-byte password; 72 of its bytes verify alike, 71 do not (the terminating NUL would be the 72nd)
    String p81 = "The quick brown fox jumps over the lazy dog, then it naps for a while. 0123456789";
    String jsHash = "$2b$04$XXXXXXXXXXXXXXXXXXXXXOIddAlk6omGYUj2QfSbK2pj3v24GJ0FC";
    assertTrue(bcrypt.verify(utf8(p81), jsHash));
    assertTrue(bcrypt.verify(utf8(p81.substring(0, 72)), jsHash));
    assertTrue(bcrypt.verify(utf8(p81.substring(0, 72) + " and a different ending"), jsHash));
    assertFalse(bcrypt.verify(utf8(p81.substring(0, 71)), jsHash));
  }

  @Test
  void theLimitIsInBytesSoACharacterAcrossTheBoundaryCountsByItsFirstByte() {
    // JS: 71 'x' + 'é' (C3 A9) is 73 bytes; the key keeps 0xC3, which 'è' (C3 A8) shares
    String hash = "$2b$04$/OK.fbVrR/bpIqNJ5ianF.6kja97I5OKZqwxtB4eXcUoQZdQmoARK";
    assertTrue(bcrypt.verify(utf8("x".repeat(71) + "é"), hash));
    assertTrue(bcrypt.verify(utf8("x".repeat(71) + "è"), hash));
    assertFalse(bcrypt.verify(utf8("x".repeat(71)), hash));
  }

  @Test
  void aPasswordOf71BytesIsNotAPrefixOfLongerOnesBecauseTheNulIsHashed() {
    // JS: the key of 71 'y' is those bytes and the terminating NUL; 72 'y' puts a 'y' there
    String hash = "$2b$04$CCCCCCCCCCCCCCCCCCCCC.Xd3/t8gvDr2HvNAPYSOMlq4jdFhHRpW";
    assertTrue(bcrypt.verify(utf8("y".repeat(71)), hash));
    assertFalse(bcrypt.verify(utf8("y".repeat(72)), hash));
  }

  @Test
  void aPasswordEndsAtItsFirstNulAsTheCImplementationsReadIt() {
    // JS and XC agree: the hash of "abc"
    String abc = "$2b$04$abcdefghijklmnopqrstuuCi15uRb1eH7NAlJ/TgeJertyknQpYn2";
    assertTrue(bcrypt.verify(utf8("abc"), abc));
    assertTrue(bcrypt.verify(utf8("abc\0def"), abc));
    assertTrue(bcrypt.verify(utf8("abc\0"), abc));
    assertFalse(bcrypt.verify(utf8("abcdef"), abc));
    // XC: crypt("abc\0xyz", salt) is crypt("abc", salt)
    assertTrue(bcrypt.verify(utf8("abc\0xyz"), "$2y$04$CCCCCCCCCCCCCCCCCCCCC.AKurti2nSiRoaXd0tyyeWA.1jj9Kto2"));
    // CB: a password starting with NUL is the empty password
    assertTrue(bcrypt.verify(utf8("\0not empty"), "$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy"));
  }

  @Test
  void theCallersPasswordBytesAreLeftUntouchedForTheCallerToWipe() {
    byte[] password = utf8("abc\0def");
    bcrypt.verify(password, "$2b$04$abcdefghijklmnopqrstuuCi15uRb1eH7NAlJ/TgeJertyknQpYn2");
    assertArrayEquals(utf8("abc\0def"), password);
  }

  /**
   * Known differences, pinned. bcryptjs (like jBCrypt and Spring Security) hashes a JavaScript string's NUL and what
   * follows it, unlike C. crypt_blowfish's {@code $2a$} alters the key of passwords whose sign-extension bug would
   * have collided, which needs a 0xFF byte before a high-bit one: UTF-8 has no 0xFF byte, so no password reaching
   * tokengate (a Java string, encoded UTF-8) is affected.
   */
  @Test
  void hashesThatNoCImplementationWouldMatchDoNotVerify() {
    // JS: bcryptjs's hash of "abc\0def" with its NUL and "def"
    assertFalse(bcrypt.verify(utf8("abc\0def"), "$2b$04$abcdefghijklmnopqrstuuU8Rgm0REdvZ0WHY/1al21xqZXmq41/C"));
    // CB: crypt_blowfish's $2a$ countermeasure for FF FF A3
    assertFalse(bcrypt.verify(bytes(0xff, 0xff, 0xa3), "$2a$05$/OK.fbVrR/bpIqNJ5ianF.nqd1wy.pTMdcvrRWxyiGL2eMz.2a85."));
  }

  @Test
  void unusedBitsSetInTheLastCharactersOfSaltAndHashAreIgnored() {
    // CB "U*U" with '.' (0) -> '/' (1) ending the salt and 'W' (24) -> 'X' (25) ending the hash
    assertTrue(bcrypt.verify(utf8("U*U"), "$2a$05$CCCCCCCCCCCCCCCCCCCCC/E5YPO9kmyuRGyh0XouQYb4YMJKvyOeX"));
    assertFalse(bcrypt.verify(utf8("U*U*"), "$2a$05$CCCCCCCCCCCCCCCCCCCCC/E5YPO9kmyuRGyh0XouQYb4YMJKvyOeX"));
  }

  @Test
  void handlesTheVersions2a2bAnd2yOnly() {
    assertTrue(bcrypt.handles("$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
    assertTrue(bcrypt.handles("$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
    assertTrue(bcrypt.handles("$2y$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
    assertFalse(bcrypt.handles("$2x$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e"));
    assertFalse(bcrypt.handles("$2$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
    assertFalse(bcrypt.handles("$argon2id$v=19$m=1024,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$vzC0aiatXIduywRxbsQzF+ZHrCUYbFzNKjd"));
  }

  @Test
  void malformedHashesAreRefused() {
    for (String hash : new String[] {"", "$2b$", "$2b$04$abcdefghijklmnopqrstuu",
      "$2b$04$abcdefghijklmnopqrstuu7EJV7kdjBBQxyb0HjTh9KS7.Lah/6C",
      "$2b$04$abcdefghijklmnopqrstuu7EJV7kdjBBQxyb0HjTh9KS7.Lah/6CGG",
      "$2b$04$abcdefghijklmnopqrst!u7EJV7kdjBBQxyb0HjTh9KS7.Lah/6CG",
      "$2b$04$abcdefghijklmnopqrstuu7EJV7kdjBBQxyb0HjTh9KS7+Lah/6CG",
      "$2b$4$abcdefghijklmnopqrstuu7EJV7kdjBBQxyb0HjTh9KS7.Lah/6CG",
      "$2b$x4$abcdefghijklmnopqrstuu7EJV7kdjBBQxyb0HjTh9KS7.Lah/6CG",
      "$2c$04$abcdefghijklmnopqrstuu7EJV7kdjBBQxyb0HjTh9KS7.Lah/6CG",
      "$2b$03$abcdefghijklmnopqrstuu7EJV7kdjBBQxyb0HjTh9KS7.Lah/6CG",
      "$2b$32$abcdefghijklmnopqrstuu7EJV7kdjBBQxyb0HjTh9KS7.Lah/6CG"}) {
      assertThrows(IllegalArgumentException.class, () -> bcrypt.verify(utf8("x"), hash), hash);
      assertThrows(IllegalArgumentException.class, () -> bcrypt.validate(hash), hash);
    }
  }

  @Test
  void aCostAboveTheBoundIsRefusedNotComputed() {
    // cost 31 would take days; anything above 16 is refused before hashing
    for (String cost : new String[] {"17", "20", "31"}) {
      String hash = "$2b$" + cost + "$abcdefghijklmnopqrstuu7EJV7kdjBBQxyb0HjTh9KS7.Lah/6CG";
      assertThrows(IllegalArgumentException.class, () -> bcrypt.verify(utf8("correct horse battery staple"), hash));
    }
  }
}
