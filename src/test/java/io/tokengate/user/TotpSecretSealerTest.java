package io.tokengate.user;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TotpSecretSealerTest {

  private static final UUID ALICE = UUID.fromString("6f1c1f4e-2b7a-4c1e-9a43-0d5b8e2f7a10");
  private static final UUID BOB = UUID.fromString("0b9d6a52-8c3e-4f0a-b1d7-5e2c9f4a8b31");

  private final TotpSecretSealer sealer = legacySealer(key((byte) 1));
  private final byte[] secret = TotpSecrets.newSecret();

  private static byte[] key(byte fill) {
    byte[] key = new byte[32];
    Arrays.fill(key, fill);
    return key;
  }

  @Test
  void aSealedSecretOpensForItsUserOnly() {
    byte[] sealed = sealer.seal(ALICE, secret);

    assertArrayEquals(secret, sealer.unseal(ALICE, sealed).orElseThrow());
    assertArrayEquals(secret, sealer.unseal(UUID.fromString(ALICE.toString().toUpperCase()), sealed).orElseThrow(),
      "the UUID, not its spelling, is bound");
    assertTrue(sealer.unseal(BOB, sealed).isEmpty(), "bound to the user id");
    assertTrue(legacySealer(key((byte) 2)).unseal(ALICE, sealed).isEmpty(), "bound to the key");
  }

  @Test
  void theSealedFormHidesTheSecret() {
    byte[] sealed = sealer.seal(ALICE, secret);

    assertEquals(1 + 12 + secret.length + 16, sealed.length, "version, nonce, ciphertext, tag");
    for (int i = 0; i + secret.length <= sealed.length; i++) {
      assertFalse(Arrays.equals(secret, Arrays.copyOfRange(sealed, i, i + secret.length)));
    }
  }

  @Test
  void tamperingWithAnyPartOpensNothing() {
    byte[] sealed = sealer.seal(ALICE, secret);
    for (int i = 0; i < sealed.length; i++) {
      byte[] tampered = sealed.clone();
      tampered[i] ^= 1;
      assertTrue(sealer.unseal(ALICE, tampered).isEmpty(), "byte " + i);
    }
    assertTrue(sealer.unseal(ALICE, Arrays.copyOf(sealed, sealed.length - 1)).isEmpty(), "truncated");
  }

  @Test
  void garbageOpensNothing() {
    assertTrue(sealer.unseal(ALICE, new byte[0]).isEmpty());
    assertTrue(sealer.unseal(ALICE, new byte[3]).isEmpty());
    byte[] versionOneButShort = new byte[1 + 12 + 16];
    versionOneButShort[0] = 1;
    assertTrue(sealer.unseal(ALICE, versionOneButShort).isEmpty());
    assertTrue(sealer.unseal(ALICE, new byte[49]).isEmpty(), "an unknown version");
  }

  @Test
  void sealingTwiceGivesDifferentCiphertexts() {
    assertFalse(Arrays.equals(sealer.seal(ALICE, secret), sealer.seal(ALICE, secret)));
  }

  @Test
  void theKeyMustBe256BitsAndTheSecretNonEmpty() {
    assertThrows(IllegalArgumentException.class, () -> legacySealer(new byte[16]));
    assertThrows(IllegalArgumentException.class, () -> sealer.seal(ALICE, new byte[0]));
  }

  @Test
  void anUnsealedSecretComputesTheSameCodes() {
    byte[] opened = sealer.unseal(ALICE, sealer.seal(ALICE, secret)).orElseThrow();
    Totp totp = new Totp();
    assertEquals(totp.code(secret, 57_000_000L), totp.code(opened, 57_000_000L));
  }

  /** A sealer with only the key of earlier releases: version-1 values, as they were sealed before the keyring. */
  static TotpSecretSealer legacySealer(byte[] key) {
    return TotpSecretSealer.of(new io.tokengate.crypto.Keyring(java.util.List.of(),
      java.util.Map.of(io.tokengate.crypto.Purpose.TOTP_SECRET, key))).orElseThrow();
  }
}
