package io.tokengate.client;

import com.nimbusds.jose.JWSAlgorithm;
import io.tokengate.config.Config;
import io.tokengate.crypto.PublicKeyVerifiers;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The client authentication this deployment can really do, as the metadata document advertises it (RFC 8414 §2):
 * {@code client_secret_jwt} needs the secret encryption key, and the mutual-TLS methods need certificates to reach
 * tokengate (its own HTTPS, or a trusted proxy forwarding them), {@code tls_client_auth} a CA bundle too.
 *
 * @param certificatesReachUs whether clients' TLS certificates can be seen, and so tokens bound to them
 */
public record SupportedClientAuth(Set<ClientAuthMethod> methods, List<String> assertionAlgorithms,
                                  boolean certificatesReachUs) {

  public static SupportedClientAuth of(Config config) {
    boolean hmac = config.keyring().canSeal(io.tokengate.crypto.Purpose.CLIENT_SECRET);
    boolean certificates = config.http().tls().isPresent() || !config.http().trustedProxies().isBlank();
    Set<ClientAuthMethod> methods = EnumSet.of(ClientAuthMethod.CLIENT_SECRET_BASIC,
      ClientAuthMethod.CLIENT_SECRET_POST, ClientAuthMethod.PRIVATE_KEY_JWT);
    List<String> algorithms = new ArrayList<>();
    if (hmac) {
      methods.add(ClientAuthMethod.CLIENT_SECRET_JWT);
      List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512).forEach(alg -> algorithms.add(alg.getName()));
    }
    PublicKeyVerifiers.ALGORITHMS.forEach(alg -> algorithms.add(alg.getName()));
    if (certificates) {
      methods.add(ClientAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH);
      if (config.clients().tlsCaFile().isPresent()) {
        methods.add(ClientAuthMethod.TLS_CLIENT_AUTH);
      }
    }
    return new SupportedClientAuth(Set.copyOf(methods), List.copyOf(algorithms), certificates);
  }

  /** In the enum's order, for a stable document. */
  public List<String> methodNames() {
    return EnumSet.copyOf(methods).stream().map(ClientAuthMethod::value).toList();
  }
}
