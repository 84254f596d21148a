package io.tokengate.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.tokengate.token.KeyGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "keys", description = "Signing keys for a JWKS file (tokens.jwks_file).",
  subcommands = {KeysCommand.Generate.class})
final class KeysCommand {

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
