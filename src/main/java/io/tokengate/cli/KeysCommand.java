package io.tokengate.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.tokengate.token.KeyGenerator;
import io.tokengate.crypto.Keyring;
import io.tokengate.store.SealedRows;
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
  subcommands = {KeysCommand.Generate.class, KeysCommand.Reseal.class})
final class KeysCommand {

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
    "Print a JWKS with a new private signing key, to store as a Kubernetes Secret. With --rotate FILE, the new key "
      + "comes first (it signs) and the keys of FILE follow as public keys (they keep verifying the tokens they "
      + "signed until those expire)."})
  static final class Generate implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--algorithm", paramLabel = "ALG", description = "ES256 (default), EdDSA, RS256 or PS256.")
    String algorithm = "ES256";

    @Option(names = "--rotate", paramLabel = "FILE", description = "The JWKS in use now.")
    Path current;

    @Override
    public Integer call() throws Exception {
      if (!ALGORITHMS.contains(algorithm)) {
        throw new IllegalArgumentException("--algorithm must be one of ES256, EdDSA, RS256, PS256");
      }
      List<JWK> keys = new ArrayList<>();
      keys.add(generate(JWSAlgorithm.parse(algorithm)));
      if (current != null) {
        try {
          JWKSet.parse(Files.readString(current)).getKeys().forEach(key -> keys.add(key.toPublicJWK()));
        } catch (ParseException e) {
          throw new IllegalArgumentException(current + " is not a JWK set");
        }
      }
      spec.commandLine().getOut().println(new JWKSet(keys).toString(false));
      return 0;
    }

    private static JWK generate(JWSAlgorithm algorithm) {
      try {
        return KeyGenerator.generate(algorithm);
      } catch (JOSEException e) {
        throw new IllegalStateException("cannot generate a " + algorithm + " key: " + e.getMessage());
      }
    }
  }
}
