package io.tokengate.http;

import io.tokengate.client.SupportedClientAuth;
import io.tokengate.config.Config;
import io.tokengate.dpop.DpopProofVerifier;
import io.tokengate.token.SigningKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Set;

/** The public documents resource servers and clients read: the JWKS and the RFC 8414 metadata. */
final class DiscoveryEndpoints {

  static final String TOKEN_PATH = "/oauth2/token";
  static final String JWKS_PATH = "/oauth2/jwks";
  static final String METADATA_PATH = "/.well-known/oauth-authorization-server";
  /** OpenID Connect Discovery §4: the same document, with the members OpenID Connect needs. */
  static final String OPENID_CONFIGURATION_PATH = "/.well-known/openid-configuration";

  private final SigningKeys keys;
  private final String metadata;

  DiscoveryEndpoints(Config config, SigningKeys keys, Set<String> grantTypes, SupportedClientAuth clientAuth,
                     List<String> scopesSupported, List<String> claimsSupported) {
    this.keys = keys;
    this.metadata = metadata(config, grantTypes, clientAuth)
      .put("userinfo_endpoint", config.endpointUrl(UserInfoEndpoint.PATH))
      .put("scopes_supported", new JsonArray(scopesSupported))
      .put("claims_supported", new JsonArray(claimsSupported))
      .put("subject_types_supported", new JsonArray(List.of("public", "pairwise")))
      .put("id_token_signing_alg_values_supported", new JsonArray(List.of(config.tokens().signingAlgorithm())))
      .encodePrettily();
  }

  void jwks(RoutingContext context) {
    Responses.cacheable(context.response(), keys.publicJwks());
  }

  void metadata(RoutingContext context) {
    Responses.cacheable(context.response(), metadata);
  }

  /**
   * RFC 8414 §3: for an issuer with a path, the document lives at the well-known path followed by that path.
   * Both that and the plain well-known path are served.
   */
  static String issuerMetadataPath(Config config) {
    String path = config.issuer().getRawPath();
    return path == null || path.isEmpty() ? METADATA_PATH : METADATA_PATH + path;
  }

  private static JsonObject metadata(Config config, Set<String> grantTypes, SupportedClientAuth clientAuth) {
    JsonArray authMethods = new JsonArray(clientAuth.methodNames());
    JsonArray signingAlgorithms = new JsonArray(clientAuth.assertionAlgorithms());
    return new JsonObject()
      .put("issuer", config.issuer().toString())
      .put("token_endpoint", config.endpointUrl(TOKEN_PATH))
      .put("jwks_uri", config.endpointUrl(JWKS_PATH))
      .put("grant_types_supported", new JsonArray(grantTypes.stream().toList()))
      .put("token_endpoint_auth_methods_supported", authMethods)
      .put("token_endpoint_auth_signing_alg_values_supported", signingAlgorithms)
      .put("introspection_endpoint", config.endpointUrl(TokenManagementEndpoints.INTROSPECT_PATH))
      .put("introspection_endpoint_auth_methods_supported", authMethods.copy())
      .put("introspection_endpoint_auth_signing_alg_values_supported", signingAlgorithms.copy())
      .put("revocation_endpoint", config.endpointUrl(TokenManagementEndpoints.REVOKE_PATH))
      .put("revocation_endpoint_auth_methods_supported", authMethods.copy())
      .put("revocation_endpoint_auth_signing_alg_values_supported", signingAlgorithms.copy())
      .put("tls_client_certificate_bound_access_tokens", clientAuth.certificatesReachUs())
      .put("dpop_signing_alg_values_supported", new JsonArray(DpopProofVerifier.supportedAlgorithms()))
      // There is no authorization endpoint, hence no response types; the member is required, so it is empty.
      .put("response_types_supported", new JsonArray());
  }
}
