package io.tokengate.token;

import io.vertx.core.Future;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Signing keys kept in the database, as {@link DatabaseKeys} needs them; the PostgreSQL adapter is
 * {@code store.SigningKeysTable}. Key material comes and goes as the policy gives it: a private JWK in plain text
 * (rows of earlier releases, or no keyring) or sealed by the keyring.
 */
public interface SigningKeyRecords {

  /** A key's row: its state and dates, and its private JWK, plain or sealed. */
  record StoredKey(KeyRecord record, Optional<String> plainJwk, Optional<byte[]> sealedJwk) {
  }

  /** A key to store: exactly one of {@code plainJwk} and {@code sealedJwk} is present. */
  record NewKey(String kid, String algorithm, Optional<String> plainJwk, Optional<byte[]> sealedJwk, String state,
                Optional<Instant> signsFrom, Instant createdAt) {
  }

  /** The keys under their lock: generating, rotating and taking over happen one replica or command at a time. */
  interface Locked {

    /**
     * Records every take-over due at {@code now}: the active key retires at the next key's time and stays published
     * until the longest access token it could have signed has expired ({@code accessTokenLifetime} or a client's
     * own, whichever is longer); then the next key becomes the active one.
     */
    Future<Void> takeOver(Instant now, Duration accessTokenLifetime);

    /**
     * The keys to publish at {@code now}, newest first: every key not retired, and the retired ones still within
     * their publication (for rows without one, retired after {@code legacyRetiredAfter}).
     */
    Future<List<StoredKey>> published(Instant now, Instant legacyRetiredAfter);

    /** The keys of {@code algorithm} that are next or active, without key material. */
    Future<List<KeyRecord>> current(String algorithm);

    Future<Void> insert(NewKey key);
  }

  /** Runs {@code work} in one transaction holding the keys' lock; commits when it succeeds. */
  <T> Future<T> locked(Function<Locked, Future<T>> work);

  /** Every key, oldest first, without key material. */
  Future<List<KeyRecord>> list();
}
