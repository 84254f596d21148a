package io.tokengate.dpop;

import java.time.Instant;

/**
 * A DPoP proof (RFC 9449) that passed every check: the key it proves possession of, and what replay detection
 * needs to remember about it.
 *
 * @param jkt          RFC 7638 SHA-256 thumbprint of the proof's public key, base64url: the {@code cnf.jkt} a token
 *                     bound to that key carries
 * @param jti          the proof's unique identifier, to be recorded so that the proof is used once
 * @param issuedAt     the proof's {@code iat}
 * @param replayExpiry until when the {@code jti} must be remembered; after it, the {@code iat} check alone rejects
 *                     a replay
 */
public record DpopProof(String jkt, String jti, Instant issuedAt, Instant replayExpiry) {
}
