package io.tokengate.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.tokengate.config.Config;
import io.tokengate.crypto.Keyring;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the signing keys: from a mounted JWKS file when one is configured, otherwise from the database, where the
 * first replica to start generates the key that all replicas then share.
 */
public final class SigningKeyLoader {

  /**
   * A member of a key in the JWKS file: "publish this key, but do not sign with it before this time" (RFC 3339).
   * tokengate's own, so it is removed before the key is published.
   */
  public static final String SIGN_FROM = "sign_from";

  private SigningKeyLoader() {
  }

  public static Future<SigningKeys> load(Vertx vertx, SigningKeyRecords records, Config.Tokens config,
                                         Keyring keyring) {
    return load(vertx, records, config, keyring, Clock.systemUTC());
  }

  /**
   * @param keyring seals keys generated into the database when it has a key (else they are stored as before, so
   *                that replicas of the previous release can still read them during a rolling upgrade)
   */
  public static Future<SigningKeys> load(Vertx vertx, SigningKeyRecords records, Config.Tokens config,
                                         Keyring keyring, Clock clock) {
    JWSAlgorithm algorithm = JWSAlgorithm.parse(config.signingAlgorithm());
    return config.jwksFile()
      .map(file -> vertx.executeBlocking(() -> fromFile(file, algorithm, clock), false))
      .orElseGet(() -> new DatabaseKeys(records, keyring, clock, config.accessTokenLifetime()).load(vertx, algorithm));
  }

  static SigningKeys fromFile(Path file, JWSAlgorithm algorithm) {
    return fromFile(file, algorithm, Clock.systemUTC());
  }

  /**
   * Every key in the file is published, so that the next key can be published before it signs and the previous one
   * kept until its tokens have expired. The first private key that fits and carries no {@value #SIGN_FROM} in the
   * future signs now; one marked with a later time takes over at that time, without a reload.
   */
  public static SigningKeys fromFile(Path file, JWSAlgorithm algorithm, Clock clock) {
    List<JWK> keys = new ArrayList<>();
    Map<JWK, Instant> signFrom = new HashMap<>();
    try {
      for (Object member : JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(Files.readString(file)), "keys")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json = new HashMap<>((Map<String, Object>) member);
        Object from = json.remove(SIGN_FROM);
        JWK key = JWK.parse(json);
        keys.add(key);
        if (from != null) {
          signFrom.put(key, signFrom(file, key, from));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read tokens.jwks_file " + file + ": " + e.getMessage());
    } catch (ParseException | ClassCastException | NullPointerException e) {
      // Not the parser's message: it may quote the file, which holds private keys.
      throw new IllegalStateException("tokens.jwks_file " + file + " is not a JWK set");
    }
    Instant now = clock.instant();
    List<ScheduledKey> signers = new ArrayList<>();
    for (JWK key : keys) {
      if (!SigningKey.fits(key, algorithm)) {
        continue;
      }
      Instant from = signFrom.getOrDefault(key, Instant.MIN);
      boolean signsNow = !from.isAfter(now);
      boolean haveCurrent = signers.stream().anyMatch(signer -> signer.from().equals(Instant.MIN));
      if (signsNow && !haveCurrent) {
        signers.add(ScheduledKey.now(SigningKey.of(key, algorithm)));
      } else if (!signsNow && signers.stream().noneMatch(signer -> signer.from().equals(from))) {
        signers.add(new ScheduledKey(SigningKey.of(key, algorithm), from));
      }
    }
    if (signers.stream().noneMatch(signer -> signer.from().equals(Instant.MIN))) {
      throw new IllegalStateException("tokens.jwks_file " + file + " holds no private key with a kid for " + algorithm
        + " that may sign now");
    }
    return new SigningKeys(signers, keys, clock);
  }

  private static Instant signFrom(Path file, JWK key, Object value) {
    try {
      return Instant.parse((String) value);
    } catch (DateTimeParseException | ClassCastException e) {
      throw new IllegalStateException("tokens.jwks_file " + file + ": key " + key.getKeyID() + " has a " + SIGN_FROM
        + " that is not an RFC 3339 UTC time like 2030-01-01T00:00:00Z");
    }
  }
}
