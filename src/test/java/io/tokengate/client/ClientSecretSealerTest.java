package io.tokengate.client;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientSecretSealerTest {

  private final ClientSecretSealer sealer = legacySealer(key((byte) 1));

  private static byte[] key(byte fill) {
    byte[] key = new byte[32];
    Arrays.fill(key, fill);
    return key;
  }

  @Test
  void aSealedSecretOpensForItsClientOnly() {
    byte[] sealed = sealer.seal("app", "the secret");

    assertArrayEquals("the secret".getBytes(StandardCharsets.UTF_8), sealer.unseal("app", sealed).orElseThrow());
    assertTrue(sealer.unseal("other-app", sealed).isEmpty(), "bound to the client id");
    assertTrue(legacySealer(key((byte) 2)).unseal("app", sealed).isEmpty(), "bound to the key");
  }

  @Test
  void tamperingOrGarbageOpensNothing() {
    byte[] sealed = sealer.seal("app", "the secret");
    sealed[sealed.length - 1] ^= 1;
    assertTrue(sealer.unseal("app", sealed).isEmpty());
    assertTrue(sealer.unseal("app", new byte[3]).isEmpty());
    assertTrue(sealer.unseal("app", new byte[40]).isEmpty(), "an unknown version");
  }

  @Test
  void sealingTwiceGivesDifferentCiphertexts() {
    assertFalse(Arrays.equals(sealer.seal("app", "s"), sealer.seal("app", "s")));
  }

  @Test
  void theKeyMustBe256Bits() {
    assertThrows(IllegalArgumentException.class, () -> legacySealer(new byte[16]));
  }

  /** A sealer with only the key of earlier releases: version-1 values, as they were sealed before the keyring. */
  static ClientSecretSealer legacySealer(byte[] key) {
    return ClientSecretSealer.of(new io.tokengate.crypto.Keyring(java.util.List.of(),
      java.util.Map.of(io.tokengate.crypto.Purpose.CLIENT_SECRET, key))).orElseThrow();
  }
}
