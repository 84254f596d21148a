package io.tokengate.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.tokengate.config.Config;
import io.tokengate.config.Durations;
import io.tokengate.crypto.Keyring;
import io.tokengate.store.SealedRows;
import io.tokengate.token.KeyGenerator;
import io.tokengate.token.KeyRecord;
import io.tokengate.token.SigningKeyLoader;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "keys", description = "Signing keys, and the keyring that seals secrets at rest.",
  subcommands = {KeysCommand.Generate.class, KeysCommand.Rotate.class, KeysCommand.ListKeys.class,
    KeysCommand.Reseal.class})
final class KeysCommand {

  @Command(name = "rotate", description = {
    "Publish a new signing key in the database's JWKS now; every replica signs with it from "
      + "tokens.key_publication_delay later on, and the key it replaces stays published until the longest access "
      + "token it could have signed has expired. For database-generated keys; with tokens.jwks_file use keys generate "
      + "--rotate FILE."})
  static final class Rotate extends AdminCommand {

    @Option(names = "--output", paramLabel = "FORMAT", description = "text (default) or json.")
    OutputFormat output = OutputFormat.text;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      Config.Tokens tokens = admin.config().tokens();
      if (tokens.jwksFile().isPresent()) {
        throw new IllegalStateException("tokens.jwks_file is configured: its keys are rotated in the file, with "
          + "`tokengate keys generate --rotate " + tokens.jwksFile().get() + "`");
      }
      JWSAlgorithm algorithm = JWSAlgorithm.parse(tokens.signingAlgorithm());
      KeyRecord next = admin.databaseKeys().rotate(Generate.generate(algorithm), algorithm,
        tokens.keyPublicationDelay()).await();
      if (output == OutputFormat.json) {
        out.println(KeyListing.json(next, next.state()).encodePrettily());
      } else if ("active".equals(next.state())) {
        out.println("generated key " + next.kid() + " (" + algorithm + "): there was none, it signs now");
      } else {
        out.println("published key " + next.kid() + " (" + algorithm + "); every replica signs with it from "
          + next.signsFrom().orElseThrow() + " (tokens.key_publication_delay " + tokens.keyPublicationDelay() + ")");
      }
    }
  }

  @Command(name = "list", description = {"The signing keys in the database: state (next, active, retired), when each "
    + "was created, signs from, retired, and leaves the JWKS. Never key material."})
  static final class ListKeys extends AdminCommand {

    @Option(names = "--output", paramLabel = "FORMAT", description = "text (default) or json.")
    OutputFormat output = OutputFormat.text;

    @Override
    void run(AdminContext admin, PrintWriter out) {
      KeyListing.print(admin.databaseKeys().list().await(), admin.clock().instant(), output, out);
    }
  }

  @Command(name = "reseal", description = {
    "Re-seal every sealed secret (client_secret_jwt secrets, TOTP secrets, signing keys in the database) under the "
      + "first key of secrets.sealing_keys, and seal signing keys stored unsealed.",
    "Safe to interrupt and run again: each row is re-sealed on its own, and rows already under the newest key are "
      + "skipped. Exits 1 if some row opens with no configured key."})
  static final class Reseal extends AdminCommand {

    @Override
    void run(AdminContext admin, PrintWriter out) {
      Keyring keyring = admin.config().keyring();
      SealedRows.Resealed result = new SealedRows(admin.pool()).reseal(keyring)
        .await();
      String key = keyring.sealingKeyId().orElseThrow();
      result.resealed().forEach((kind, count) -> out.println("resealed " + count + " " + kind + " under key " + key));
      if (result.unopenable() > 0) {
        throw new IllegalStateException(result.unopenable() + " sealed values open with no configured key: add the "
          + "key that sealed them to secrets.sealing_keys and run keys reseal again");
      }
    }
  }

  private static final Set<String> ALGORITHMS = Set.of("ES256", "EdDSA", "RS256", "PS256");

  @Command(name = "generate", description = {
    "Print a JWKS with a new private signing key, to store as a Kubernetes Secret. With --rotate FILE, the keys of "
      + "FILE follow the new one: the key that signs now stays private and keeps signing until the new key's "
      + "\"sign_from\" time (now + --sign-after), the others become public keys that verify the tokens they signed "
      + "until those expire. The sign_from marker is never published."})
  static final class Generate implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--algorithm", paramLabel = "ALG", description = "ES256 (default), EdDSA, RS256 or PS256.")
    String algorithm = "ES256";

    @Option(names = "--rotate", paramLabel = "FILE", description = "The JWKS in use now.")
    Path current;

    @Option(names = "--sign-after", paramLabel = "DURATION", description = "With --rotate: how long the new key is "
      + "only published before it signs; longer than resource servers cache the JWKS (default 1h, like "
      + "tokens.key_publication_delay).")
    String signAfter = "1h";

    @Override
    public Integer call() throws Exception {
      if (!ALGORITHMS.contains(algorithm)) {
        throw new IllegalArgumentException("--algorithm must be one of ES256, EdDSA, RS256, PS256");
      }
      JWSAlgorithm alg = JWSAlgorithm.parse(algorithm);
      JWK generated = generate(alg);
      if (current == null) {
        spec.commandLine().getOut().println(new JWKSet(generated).toString(false));
        return 0;
      }
      Duration delay = Durations.parse(signAfter);
      // The key that signs now: the first private key without a sign_from still ahead (of any algorithm, so that
      // a rotation may change the algorithm too).
      Instant now = Instant.now();
      List<JWK> existing = new ArrayList<>();
      String signing = null;
      try {
        for (Object member : JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(Files.readString(current)), "keys")) {
          @SuppressWarnings("unchecked")
          Map<String, Object> json = new LinkedHashMap<>((Map<String, Object>) member);
          Object from = json.remove(SigningKeyLoader.SIGN_FROM);
          JWK key = JWK.parse(json);
          existing.add(key);
          if (from != null && Instant.parse(from.toString()).isAfter(now)) {
            throw new IllegalStateException(current + " already holds a key that signs from " + from
              + ": rotate again after that");
          }
          if (signing == null && key.isPrivate()) {
            signing = key.getKeyID();
          }
        }
      } catch (ParseException | ClassCastException | java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException(current + " is not a JWK set");
      }
      Map<String, Object> next = new LinkedHashMap<>(generated.toJSONObject());
      next.put(SigningKeyLoader.SIGN_FROM, Instant.now().plus(delay).truncatedTo(ChronoUnit.SECONDS).toString());
      List<Map<String, Object>> out = new ArrayList<>();
      out.add(next);
      for (JWK key : existing) {
        out.add(key.getKeyID() != null && key.getKeyID().equals(signing) ? key.toJSONObject()
          : key.toPublicJWK().toJSONObject());
      }
      spec.commandLine().getOut().println(JSONObjectUtils.toJSONString(Map.of("keys", out)));
      return 0;
    }

    static JWK generate(JWSAlgorithm algorithm) {
      try {
        return KeyGenerator.generate(algorithm);
      } catch (JOSEException e) {
        throw new IllegalStateException("cannot generate a " + algorithm + " key: " + e.getMessage());
      }
    }
  }
}
