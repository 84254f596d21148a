package io.tokengate.cli;

import io.tokengate.token.KeyRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code keys list}: one line per key, or JSON with the fields kid, algorithm, state, created_at, signs_from,
 * retired_at, published_until (RFC 3339 times, null when not set). The state is the one at the time of listing.
 */
final class KeyListing {

  private static final String FORMAT = "%-45s %-6s %-8s %-22s %-22s %-22s %s%n";

  private KeyListing() {
  }

  static void print(List<KeyRecord> keys, Instant now, OutputFormat output, PrintWriter out) {
    if (output == OutputFormat.json) {
      out.println(new JsonArray(keys.stream().map(key -> json(key, key.stateAt(now, keys))).toList()).encodePrettily());
      return;
    }
    out.printf(FORMAT, "KID", "ALG", "STATE", "CREATED", "SIGNS FROM", "RETIRED", "PUBLISHED UNTIL");
    for (KeyRecord key : keys) {
      out.printf(FORMAT, key.kid(), key.algorithm(), key.stateAt(now, keys),
        key.createdAt(), text(key.signsFrom()), text(key.retiredAt()), text(key.publicationEnd()));
    }
  }

  static JsonObject json(KeyRecord key, String state) {
    return new JsonObject()
      .put("kid", key.kid())
      .put("algorithm", key.algorithm())
      .put("state", state)
      .put("created_at", key.createdAt().toString())
      .put("signs_from", key.signsFrom().map(Instant::toString).orElse(null))
      .put("retired_at", key.retiredAt().map(Instant::toString).orElse(null))
      .put("published_until", key.publicationEnd().map(Instant::toString).orElse(null));
  }

  private static String text(Optional<Instant> instant) {
    return instant.map(Instant::toString).orElse("-");
  }
}
