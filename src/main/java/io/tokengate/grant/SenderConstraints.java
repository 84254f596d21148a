package io.tokengate.grant;

import io.tokengate.client.Client;
import io.tokengate.dpop.DpopProof;
import io.tokengate.dpop.DpopProofVerifier;
import io.tokengate.dpop.UsedProofIds;
import io.tokengate.oauth.OAuthError;
import io.tokengate.oauth.OAuthException;
import io.tokengate.oauth.TokenRequest;
import io.tokengate.tls.CertificateIdentity;
import io.tokengate.token.Confirmation;
import io.vertx.core.Future;

import java.util.Optional;

/**
 * Decides what a token request's tokens are bound to: the key of its DPoP proof (RFC 9449), and the client's TLS
 * certificate for clients registered for certificate-bound tokens (RFC 8705 §3).
 */
public final class SenderConstraints {

  private final DpopProofVerifier proofs;
  private final UsedProofIds oneTimeIds;
  private final String tokenEndpointUrl;

  public SenderConstraints(DpopProofVerifier proofs, UsedProofIds oneTimeIds, String tokenEndpointUrl) {
    this.proofs = proofs;
    this.oneTimeIds = oneTimeIds;
    this.tokenEndpointUrl = tokenEndpointUrl;
  }

  /** Checks a DPoP proof's form and signature, before the client is looked up: a bad proof costs no query. */
  public Optional<DpopProof> checkProof(TokenRequest request) {
    return request.dpopProof().map(proof -> proofs.verify(proof, "POST", tokenEndpointUrl));
  }

  /** After the client authenticated: spends the proof's jti and binds to what the client must be bound to. */
  public Future<Confirmation> confirm(TokenRequest request, Client client, Optional<DpopProof> proof) {
    if (client.requiresDpop() && proof.isEmpty()) {
      return Future.failedFuture(OAuthException.of(OAuthError.INVALID_DPOP_PROOF,
        "this client must send a DPoP proof"));
    }
    Optional<String> certificate = Optional.empty();
    if (client.certificateBound()) {
      if (request.clientCertificates().isEmpty()) {
        return Future.failedFuture(OAuthException.invalidRequest(
          "this client's tokens are bound to its TLS certificate, and none was presented"));
      }
      certificate = Optional.of(CertificateIdentity.thumbprint(request.clientCertificates().get(0)));
    }
    Optional<String> certificateThumbprint = certificate;
    if (proof.isEmpty()) {
      return Future.succeededFuture(new Confirmation(certificateThumbprint, Optional.empty()));
    }
    DpopProof dpop = proof.get();
    return oneTimeIds.useDpopProof(dpop.jkt(), dpop.jti(), dpop.replayExpiry())
      .compose(first -> first
        ? Future.succeededFuture(new Confirmation(certificateThumbprint, Optional.of(dpop.jkt())))
        : Future.failedFuture(OAuthException.of(OAuthError.INVALID_DPOP_PROOF, "the DPoP proof was used before")));
  }
}
