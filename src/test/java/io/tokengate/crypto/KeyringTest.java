package io.tokengate.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyringTest {

  private static final byte[] SECRET = "a client's HMAC secret".getBytes(StandardCharsets.UTF_8);
  private static final SealingKey K1 = new SealingKey("k1", filled(1));
  private static final SealingKey K2 = new SealingKey("k2", filled(2));

  private static byte[] filled(int value) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) value);
    return key;
  }

  @Test
  void theFirstKeySealsAndTheSealedValueNamesIt() {
    Keyring keyring = new Keyring(List.of(K1, K2), Map.of());

    byte[] sealed = keyring.seal(Purpose.CLIENT_SECRET, "crm", SECRET);

    assertEquals(2, sealed[0], "version 2");
    assertEquals("k1", Sealer.keyId(sealed).orElseThrow());
    assertArrayEquals(SECRET, keyring.open(Purpose.CLIENT_SECRET, "crm", sealed).orElseThrow());
    assertTrue(keyring.isCurrent(sealed));
  }

  @Test
  void afterRotationOlderKeysStillOpenUntilResealed() {
    byte[] underK1 = new Keyring(List.of(K1), Map.of()).seal(Purpose.TOTP_SECRET, "user", SECRET);
    Keyring rotated = new Keyring(List.of(K2, K1), Map.of());

    assertArrayEquals(SECRET, rotated.open(Purpose.TOTP_SECRET, "user", underK1).orElseThrow());
    assertFalse(rotated.isCurrent(underK1));
    assertTrue(new Keyring(List.of(K2), Map.of()).open(Purpose.TOTP_SECRET, "user", underK1).isEmpty(),
      "a removed key opens nothing");
  }

  @Test
  void aValueOpensOnlyForItsPurposeOwnerAndKeyId() {
    Keyring keyring = new Keyring(List.of(K1, K2), Map.of());
    byte[] sealed = keyring.seal(Purpose.CLIENT_SECRET, "crm", SECRET);

    assertTrue(keyring.open(Purpose.CLIENT_SECRET, "other", sealed).isEmpty());
    assertTrue(keyring.open(Purpose.TOTP_SECRET, "crm", sealed).isEmpty());
    byte[] relabelled = sealed.clone();
    relabelled[3] = '2'; // "k1" -> "k2": the id is authenticated, so naming another key opens nothing
    assertTrue(keyring.open(Purpose.CLIENT_SECRET, "crm", relabelled).isEmpty());
    for (int i = 0; i < sealed.length; i++) {
      byte[] tampered = sealed.clone();
      tampered[i] ^= 1;
      assertTrue(keyring.open(Purpose.CLIENT_SECRET, "crm", tampered).isEmpty(), "byte " + i);
    }
  }

  @Test
  void withoutKeyringKeysTheLegacyKeySealsInTheOldFormatForOldReplicas() {
    Keyring legacyOnly = new Keyring(List.of(), Map.of(Purpose.CLIENT_SECRET, filled(9)));

    byte[] sealed = legacyOnly.seal(Purpose.CLIENT_SECRET, "crm", SECRET);

    assertEquals(1, sealed[0], "version 1, which the previous release reads");
    assertTrue(legacyOnly.canSeal(Purpose.CLIENT_SECRET));
    assertFalse(legacyOnly.canSeal(Purpose.TOTP_SECRET));
    assertThrows(IllegalStateException.class, () -> legacyOnly.seal(Purpose.TOTP_SECRET, "u", SECRET));
    Keyring upgraded = new Keyring(List.of(K1), Map.of(Purpose.CLIENT_SECRET, filled(9)));
    assertArrayEquals(SECRET, upgraded.open(Purpose.CLIENT_SECRET, "crm", sealed).orElseThrow());
    assertEquals(2, upgraded.seal(Purpose.CLIENT_SECRET, "crm", SECRET)[0]);
  }

  @Test
  void badKeysAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new SealingKey("k1", new byte[16]));
    assertThrows(IllegalArgumentException.class, () -> new SealingKey("has space", filled(1)));
    assertThrows(IllegalArgumentException.class, () -> new Keyring(List.of(K1, new SealingKey("k1", filled(3))), Map.of()));
    assertFalse(K1.toString().contains("1, 1"), "a key never shows");
  }
}
