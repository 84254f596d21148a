package io.tokengate.logging;

import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * {@code logging.format: json}: one JSON object per line, for log pipelines that index fields. An audit record is
 * already a JSON object and is written as it is.
 */
public final class JsonLineFormatter extends Formatter {

  @Override
  public String format(LogRecord record) {
    if (AuditLines.isAudit(record)) {
      return record.getMessage() + System.lineSeparator();
    }
    JsonObject line = new JsonObject()
      .put("time", Instant.ofEpochMilli(record.getMillis()).toString())
      .put("level", record.getLevel().getName())
      .put("logger", record.getLoggerName())
      .put("message", formatMessage(record));
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      line.put("error", record.getThrown().toString()).put("stack", trace.toString());
    }
    return line.encode() + System.lineSeparator();
  }
}
