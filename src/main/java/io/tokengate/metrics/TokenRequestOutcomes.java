package io.tokengate.metrics;

import io.tokengate.oauth.OAuthError;

import java.util.ArrayList;
import java.util.List;

/**
 * Every {@code outcome} of {@code tokengate_token_requests_total}, in one place: each counter is registered at zero
 * for each grant type and outcome from start-up on, so that dashboards and {@code rate()} work from the first scrape.
 */
public final class TokenRequestOutcomes {

  public static final String ISSUED = "issued";
  /** Refused by a rate limit: error temporarily_unavailable with 429. */
  public static final String RATE_LIMITED = "rate_limited";
  /** The client hung up before it could be answered. */
  public static final String CLIENT_CLOSED = "client_closed";

  /** issued, every error code of {@link OAuthError} (RFC 6749 §5.2, RFC 9449), rate_limited, client_closed. */
  public static final List<String> ALL = all();

  private TokenRequestOutcomes() {
  }

  private static List<String> all() {
    List<String> outcomes = new ArrayList<>();
    outcomes.add(ISSUED);
    for (OAuthError error : OAuthError.values()) {
      outcomes.add(error.code());
    }
    outcomes.add(RATE_LIMITED);
    outcomes.add(CLIENT_CLOSED);
    return List.copyOf(outcomes);
  }
}
