package io.tokengate.user;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Legacy hashes through the public face: verified on the hashing pool, recognised for import, and marked for rehash. */
@ExtendWith(VertxExtension.class)
class PasswordHashingTest {

  private static final Argon2Hasher.Parameters CURRENT = new Argon2Hasher.Parameters(1024, 2, 1);

  // One vector of each family, from the per-format tests (which say where each comes from).
  private static final String ARGON2 =
    "$argon2id$v=19$m=1024,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$vzC0aiatXIduywRxbsQzF+ZHrCUYbFzNKjdAD9qbZlI";
  private static final String BCRYPT_2B = "$2b$05$0123456789ABCDEFGHIJKOmXUV8C6QPTRjfgdqE8rTM5D1KBBJU9.";
  private static final String BCRYPT_2Y = "$2y$05$0123456789ABCDEFGHIJKOmXUV8C6QPTRjfgdqE8rTM5D1KBBJU9.";
  private static final String BCRYPT_2A = "$2a$04$SaltSaltSaltSaltSaltSeFBcan/exwndbTK54KFo2Jf5vfaS4y/.";
  private static final String PASSLIB_PBKDF2_SHA256 =
    "$pbkdf2-sha256$6400$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M";
  private static final String PASSLIB_PBKDF2_SHA512 = "$pbkdf2-sha512$1000$mSrR2g7gra683Y.lMcrjnw$KyNnDRvWZC/sqhYLFQ0iIwew"
    + "3Vb210/Q3JbBdVtE5wFhtFHkihWCf.jh1cKvuThps0ykoeCYofjddxotuALgkA";
  private static final String PASSLIB_PBKDF2_SHA1 = "$pbkdf2$1000$7VB26iWxlnOPgJgClvfVkw$Zx7NzkNa79nZCqGr3wWdSyG8.IY";
  private static final String DJANGO_PBKDF2_SHA256 =
    "pbkdf2_sha256$1000$aB3dE6gH9jK2mN5pQ8sT1v$DsjgXJ6vA+Xabd3GTc6YKk3ukc3hpkWmSumpLFy5OBU=";
  private static final String DJANGO_PBKDF2_SHA1 = "pbkdf2_sha1$24000$seasalt$F+kiWNHXbMBcwgxsvSKFCWHnZZ0=";
  private static final String PASSLIB_SCRYPT =
    "$scrypt$ln=10,r=8,p=2$JxL0hOsp7fO+L+HvesggDA$vNNOQ4/okA1+HQrf0OFR/P4PqICo/V1gANxD/0ZHLig";
  private static final String DJANGO_SCRYPT = "scrypt$16384$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgf"
    + "Yz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw==";

  private static final String[] SUPPORTED = {ARGON2, BCRYPT_2A, BCRYPT_2B, BCRYPT_2Y, PASSLIB_PBKDF2_SHA1,
    PASSLIB_PBKDF2_SHA256, PASSLIB_PBKDF2_SHA512, DJANGO_PBKDF2_SHA1, DJANGO_PBKDF2_SHA256, PASSLIB_SCRYPT,
    DJANGO_SCRYPT};

  private PasswordHashing hashing;

  @BeforeEach
  void start(Vertx vertx) {
    hashing = new PasswordHashing(new HashingPool(vertx, 1, 16, new SimpleMeterRegistry()), new Argon2Hasher(CURRENT));
  }

  @Test
  void everyFormatVerifiesOnTheHashingPool() {
    assertTrue(hashing.verify("correct horse", ARGON2).await());
    assertTrue(hashing.verify("pässwörd ✓", BCRYPT_2A).await());
    assertTrue(hashing.verify("pässwörd ✓", BCRYPT_2B).await());
    assertTrue(hashing.verify("pässwörd ✓", BCRYPT_2Y).await());
    assertTrue(hashing.verify("password", PASSLIB_PBKDF2_SHA1).await());
    assertTrue(hashing.verify("password", PASSLIB_PBKDF2_SHA256).await());
    assertTrue(hashing.verify("pässwörd", PASSLIB_PBKDF2_SHA512).await());
    assertTrue(hashing.verify("KRONOS", DJANGO_PBKDF2_SHA1).await());
    assertTrue(hashing.verify("pässwörd ✓", DJANGO_PBKDF2_SHA256).await());
    assertTrue(hashing.verify("pässwörd ✓", PASSLIB_SCRYPT).await());
    assertTrue(hashing.verify("lètmein", DJANGO_SCRYPT).await());

    assertFalse(hashing.verify("pässwörd", BCRYPT_2B).await());
    assertFalse(hashing.verify("Password", PASSLIB_PBKDF2_SHA256).await());
    assertFalse(hashing.verify("lètmein ", DJANGO_SCRYPT).await());
  }

  @Test
  void newHashesStillVerify() {
    String hash = hashing.hash("s3cret password").await();

    assertTrue(hashing.verify("s3cret password", hash).await());
    assertFalse(hashing.verify("s3cret passworD", hash).await());
  }

  @Test
  void anUnknownOrMalformedHashFailsTheVerification() {
    Future<Boolean> unknown = hashing.verify("password", "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/");
    Future<Boolean> malformed = hashing.verify("password", "$2b$04$abcdefghijklmnopqrstuu");

    assertThrows(IllegalArgumentException.class, unknown::await);
    assertThrows(IllegalArgumentException.class, malformed::await);
  }

  @Test
  void everySupportedFormatCanBeVerifiedAndImported() {
    for (String hash : SUPPORTED) {
      assertTrue(PasswordHashing.canVerify(hash), hash);
      assertTrue(PasswordHashing.isSupportedFormat(hash), hash);
    }
  }

  @Test
  void otherFormatsCanNeitherBeVerifiedNorImported() {
    for (String hash : new String[] {null, "", "plain text", "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/",
      "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZF2Kq4SW5", "{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=",
      "$2x$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e",
      "$2$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
      "argon2$argon2id$v=19$m=1024,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$vzC0aiatXIduywRxbsQzF+ZHrCUYbFzNKjdAD9qbZlI",
      "bcrypt_sha256$$2b$12$e5C3zfswn.CowOBbbb7ngeYbxKzJePCDHwo8AMr/SZeZCoGrk7oue",
      "$sha256$y9y2Dg1YUHpnp9KAo0sVXw0rCmBd3s5X2gS7mV7uJbA", "$7$C6..../....SodiumChloride$kBGj9fHznVYFQMEn/qDCfrDevf9YDtcDdKvEqHJLV8D"}) {
      assertFalse(PasswordHashing.canVerify(hash), hash);
      assertFalse(PasswordHashing.isSupportedFormat(hash), hash);
    }
  }

  @Test
  void aMalformedOrOutOfBoundsHashOfAKnownFamilyIsRecognisedButNotImportable() {
    for (String hash : new String[] {"$2b$04$abcdefghijklmnopqrstuu",
      "$2b$20$abcdefghijklmnopqrstuu7EJV7kdjBBQxyb0HjTh9KS7.Lah/6CG",
      "$pbkdf2$16777216$c2FsdA$7v49Yc1NpOTplFs9a6IVjCY06YQ",
      "pbkdf2_sha256$1000$aB3dE6gH9jK2mN5pQ8sT1v$DsjgXJ6vA+Xabd3GTc6YKk3ukc3hpkWmSumpLFy5OB=",
      "$scrypt$ln=20,r=8,p=1$WKs1xljLudd6z9kbY0wpJQ$yCR4iDZYDKv+iEJj6yHY0lv/epnfB6f/w1EbXrsJOuQ",
      "$argon2id$v=19$m=99999999,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$vzC0aiatXIduywRxbsQzF+ZHrCUYbFzNKjdAD9qbZlI"}) {
      assertTrue(PasswordHashing.canVerify(hash), hash);
      assertFalse(PasswordHashing.isSupportedFormat(hash), hash);
    }
  }

  @Test
  void everyHashButArgon2idNeedsRehash() {
    for (String hash : SUPPORTED) {
      assertEquals(!hash.equals(ARGON2), PasswordHashing.needsRehash(hash, CURRENT), hash);
    }
    assertTrue(PasswordHashing.needsRehash(null, CURRENT));
    assertTrue(PasswordHashing.needsRehash("plain text", CURRENT));
  }

  @Test
  void anArgon2HashNeedsRehashWhenWeakerThanTheCurrentParameters() {
    Argon2Hasher.Parameters current = new Argon2Hasher.Parameters(7168, 5, 2);

    assertFalse(PasswordHashing.needsRehash(argon2("argon2id", 19, 7168, 5, 2, 16, 32), current));
    assertFalse(PasswordHashing.needsRehash(argon2("argon2id", 19, 65536, 6, 4, 32, 64), current), "stronger");
    assertTrue(PasswordHashing.needsRehash(argon2("argon2i", 19, 7168, 5, 2, 16, 32), current), "variant");
    assertTrue(PasswordHashing.needsRehash(argon2("argon2d", 19, 7168, 5, 2, 16, 32), current), "variant");
    assertTrue(PasswordHashing.needsRehash(argon2("argon2id", 16, 7168, 5, 2, 16, 32), current), "version");
    assertTrue(PasswordHashing.needsRehash(argon2("argon2id", 19, 4096, 5, 2, 16, 32), current), "memory");
    assertTrue(PasswordHashing.needsRehash(argon2("argon2id", 19, 65536, 4, 2, 16, 32), current), "iterations");
    assertTrue(PasswordHashing.needsRehash(argon2("argon2id", 19, 65536, 5, 1, 16, 32), current), "parallelism");
    assertTrue(PasswordHashing.needsRehash(argon2("argon2id", 19, 7168, 5, 2, 8, 32), current), "salt");
    assertTrue(PasswordHashing.needsRehash(argon2("argon2id", 19, 7168, 5, 2, 16, 16), current), "hash");
    assertTrue(PasswordHashing.needsRehash("$argon2id$v=19$m=7168,t=5,p=2$c2FsdA", current), "malformed");
  }

  @Test
  void aHashOfTheServersParametersNeedsNoRehashAndOneOfWeakerParametersDoes(Vertx vertx) {
    String current = hashing.hash("s3cret password").await();
    PasswordHashing weaker = new PasswordHashing(new HashingPool(vertx, 1, 16, new SimpleMeterRegistry()),
      new Argon2Hasher(new Argon2Hasher.Parameters(512, 1, 1)));
    String old = weaker.hash("s3cret password").await();

    assertFalse(hashing.needsRehash(current));
    assertTrue(hashing.needsRehash(old));
    assertTrue(hashing.needsRehash(BCRYPT_2B));
  }

  private static String argon2(String variant, int version, int memoryKib, int iterations, int parallelism,
                               int saltBytes, int hashBytes) {
    Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
    return "$" + variant + "$v=" + version + "$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$"
      + base64.encodeToString(new byte[saltBytes]) + "$" + base64.encodeToString(new byte[hashBytes]);
  }
}
