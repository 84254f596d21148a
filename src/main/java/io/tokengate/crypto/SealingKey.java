package io.tokengate.crypto;

import java.util.Arrays;
import java.util.regex.Pattern;

/** One AES-256 key of the keyring and the id that sealed values carry, so that they name the key that opens them. */
public record SealingKey(String id, byte[] key) {

  public static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,32}");

  public SealingKey {
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("a sealing key id must match " + ID.pattern());
    }
    if (key.length != 32) {
      throw new IllegalArgumentException("a sealing key must be 32 bytes (openssl rand -base64 32)");
    }
    key = key.clone();
  }

  /** Never the key. */
  @Override
  public String toString() {
    return "SealingKey[" + id + "]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SealingKey that && id.equals(that.id) && Arrays.equals(key, that.key);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }
}
