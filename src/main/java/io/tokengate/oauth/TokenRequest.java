package io.tokengate.oauth;

import java.util.Optional;

/**
 * A token request that passed the edge checks: a POST with a well-formed form body. What the client authenticates
 * with and what the grant needs are read from it by the next steps.
 *
 * @param authorization the {@code Authorization} header, if one was sent
 */
public record TokenRequest(String grantType, Parameters parameters, Optional<String> authorization) {
}
