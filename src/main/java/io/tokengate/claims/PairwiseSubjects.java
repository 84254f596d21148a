package io.tokengate.claims;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.UUID;

/**
 * Pairwise subject identifiers (OpenID Connect Core §8.1): the user's id enciphered with a key of the sector, the
 * sector's key being the HMAC of the sector under the server's pairwise key. The same user gets the same subject in
 * one sector on every login and replica, unrelated subjects in two sectors, and the server (only) can turn a subject
 * back into the user, which userinfo and introspection need. A subject is 16 bytes written as a UUID, like a public
 * subject, so client ids of that shape stay refused (RFC 9068 §5).
 */
public final class PairwiseSubjects {

  private final byte[] key;

  public PairwiseSubjects(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("the pairwise key must be 32 bytes");
    }
    this.key = key.clone();
  }

  public String subject(String sector, UUID userId) {
    ByteBuffer block = ByteBuffer.allocate(16).putLong(userId.getMostSignificantBits())
      .putLong(userId.getLeastSignificantBits());
    ByteBuffer out = ByteBuffer.wrap(cipher(Cipher.ENCRYPT_MODE, sector, block.array()));
    return new UUID(out.getLong(), out.getLong()).toString();
  }

  /** The user a pairwise subject of this sector stands for; empty for text that is no subject. */
  public Optional<UUID> userId(String sector, String subject) {
    UUID parsed;
    try {
      parsed = UUID.fromString(subject);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!parsed.toString().equals(subject)) {
      return Optional.empty();
    }
    ByteBuffer block = ByteBuffer.allocate(16).putLong(parsed.getMostSignificantBits())
      .putLong(parsed.getLeastSignificantBits());
    ByteBuffer out = ByteBuffer.wrap(cipher(Cipher.DECRYPT_MODE, sector, block.array()));
    return Optional.of(new UUID(out.getLong(), out.getLong()));
  }

  /** One AES block under the sector's key: a keyed permutation of 128-bit ids, so it can be inverted. */
  private byte[] cipher(int mode, String sector, byte[] block) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] sectorKey = mac.doFinal(("tokengate pairwise subject\0" + sector).getBytes(StandardCharsets.UTF_8));
      Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
      aes.init(mode, new SecretKeySpec(sectorKey, "AES"));
      return aes.doFinal(block);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
