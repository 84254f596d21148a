package io.tokengate.logging;

import io.vertx.core.json.JsonObject;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One JSON line per token-endpoint decision, on the logger {@code tokengate.audit}: when, which request, which
 * client, which user (their id once known, else the SHA-256 of the username they gave), which grant, the outcome and
 * the server's own reason, from which address, on which replica. Never a password, secret, code or token: the
 * event's fields are ids, hashes and fixed words.
 */
public final class AuditLog {

  private static final Logger LOG = Logger.getLogger("tokengate.audit");
  private static final String REPLICA = replica();

  /** What one request was, and what became of it. */
  public record Event(String requestId, Optional<String> clientId, Optional<String> user, Optional<String> grant,
                      String outcome, String reason, String source) {
  }

  private final Clock clock;

  public AuditLog(Clock clock) {
    this.clock = clock;
  }

  public void record(Event event) {
    if (!LOG.isLoggable(Level.INFO)) {
      return;
    }
    JsonObject line = new JsonObject()
      .put("time", clock.instant().toString())
      .put("event", "token_request")
      .put("request_id", event.requestId());
    event.clientId().ifPresent(client -> line.put("client_id", client));
    event.user().ifPresent(user -> line.put("user", user));
    event.grant().ifPresent(grant -> line.put("grant_type", grant));
    line.put("outcome", event.outcome())
      .put("reason", event.reason())
      .put("source", event.source())
      .put("replica", REPLICA);
    LOG.info(line.encode());
  }

  private static String replica() {
    String pod = System.getenv("HOSTNAME");
    if (pod != null && !pod.isBlank()) {
      return pod;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
