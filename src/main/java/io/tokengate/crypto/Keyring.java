package io.tokengate.crypto;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one place secrets at rest are sealed and opened: client secrets (client_secret_jwt), TOTP secrets and signing
 * keys generated into the database. Keys come from {@code secrets.sealing_keys}: the first seals, every one opens,
 * and each sealed value names its key, so keys rotate ({@code keys reseal}) without a flag day.
 *
 * <p>The two keys of earlier releases ({@code clients.secret_encryption_key}, {@code totp.encryption_key}) stay as
 * read-only members for their own purpose: they open the version-1 values they sealed. While no keyring key is
 * configured they also keep sealing in version 1, so that a replica of the previous release, serving beside new ones
 * during a rolling upgrade, can still read everything written; the new format appears only once an operator
 * configures {@code secrets.sealing_keys} after the rollout.
 *
 * <p>The refresh-token successor seal is deliberately not here: its key is derived from the presented token itself
 * (see {@code RefreshTokenValues}), so the database and the keyring together still cannot reveal a successor.
 */
public final class Keyring {

  private final List<SealingKey> keys;
  private final Map<Purpose, byte[]> legacy;

  public Keyring(List<SealingKey> keys, Map<Purpose, byte[]> legacy) {
    Set<String> ids = keys.stream().map(SealingKey::id).collect(Collectors.toSet());
    if (ids.size() != keys.size()) {
      throw new IllegalArgumentException("two sealing keys have the same id");
    }
    this.keys = List.copyOf(keys);
    this.legacy = new EnumMap<>(Purpose.class);
    legacy.forEach((purpose, key) -> {
      if (key.length != 32) {
        throw new IllegalArgumentException("an encryption key must be 32 bytes");
      }
      this.legacy.put(purpose, key.clone());
    });
  }

  public static Keyring empty() {
    return new Keyring(List.of(), Map.of());
  }

  /** Whether secrets of this purpose can be sealed at all (else the feature that needs them is unavailable). */
  public boolean canSeal(Purpose purpose) {
    return !keys.isEmpty() || legacy.containsKey(purpose);
  }

  /** Whether a keyring key is configured: then everything is sealed in the current format under the newest key. */
  public boolean hasKeys() {
    return !keys.isEmpty();
  }

  /** The id of the key that seals: the first of {@code secrets.sealing_keys}. */
  public Optional<String> sealingKeyId() {
    return keys.stream().findFirst().map(SealingKey::id);
  }

  public Set<String> keyIds() {
    return keys.stream().map(SealingKey::id).collect(Collectors.toUnmodifiableSet());
  }

  /** @throws IllegalStateException when no key can seal this purpose */
  public byte[] seal(Purpose purpose, String owner, byte[] secret) {
    String associatedData = associatedData(purpose, owner);
    if (!keys.isEmpty()) {
      return Sealer.sealV2(keys.get(0), associatedData, secret);
    }
    byte[] old = legacy.get(purpose);
    if (old == null) {
      throw new IllegalStateException("no key can seal a " + purpose.label() + ": configure secrets.sealing_keys");
    }
    return Sealer.sealV1(old, associatedData, secret);
  }

  /** @return the secret, or empty if no configured key opens it (another key, another owner, tampering, garbage) */
  public Optional<byte[]> open(Purpose purpose, String owner, byte[] sealed) {
    if (sealed == null || sealed.length == 0) {
      return Optional.empty();
    }
    String associatedData = associatedData(purpose, owner);
    if (sealed[0] == Sealer.V1) {
      return Optional.ofNullable(legacy.get(purpose)).flatMap(key -> Sealer.open(key, 1, associatedData, sealed));
    }
    return Sealer.keyId(sealed).flatMap(id -> keys.stream().filter(key -> key.id().equals(id)).findFirst())
      .flatMap(key -> Sealer.open(key.key(), 2 + key.id().length(),
        Sealer.v2AssociatedData(key.id(), associatedData), sealed));
  }

  /** Whether a sealed value is already in the current format under the newest key (nothing for reseal to do). */
  public boolean isCurrent(byte[] sealed) {
    return sealed != null && sealingKeyId().isPresent() && Sealer.keyId(sealed).equals(sealingKeyId());
  }

  private static String associatedData(Purpose purpose, String owner) {
    return purpose.label() + ":" + owner;
  }

  /** Never a key. */
  @Override
  public String toString() {
    return "Keyring[" + keys + ", legacy " + legacy.keySet() + "]";
  }
}
