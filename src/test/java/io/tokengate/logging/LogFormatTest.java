package io.tokengate.logging;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogFormatTest {

  private static LogRecord record(String logger, Level level, String message, Throwable thrown) {
    LogRecord record = new LogRecord(level, message);
    record.setLoggerName(logger);
    record.setThrown(thrown);
    return record;
  }

  @Test
  void jsonLinesCarryTimeLevelLoggerMessageAndTheError() {
    String line = new JsonLineFormatter().format(record("io.tokengate.Gateway", Level.WARNING, "a \"quoted\"\nline",
      new IllegalStateException("boom")));

    assertEquals(1, line.strip().lines().count(), "one line, whatever the message holds");
    JsonObject json = new JsonObject(line);
    assertEquals("WARNING", json.getString("level"));
    assertEquals("io.tokengate.Gateway", json.getString("logger"));
    assertEquals("a \"quoted\"\nline", json.getString("message"));
    assertEquals("java.lang.IllegalStateException: boom", json.getString("error"));
    assertTrue(json.getString("stack").contains("LogFormatTest"));
    assertTrue(json.getString("time").endsWith("Z"));
  }

  @Test
  void auditLinesAreWrittenBareInBothFormats() {
    String audit = "{\"event\":\"token_request\",\"outcome\":\"issued\"}";
    LogRecord record = record(AuditLines.LOGGER, Level.INFO, audit, null);

    assertEquals(audit, new JsonLineFormatter().format(record).strip());
    assertEquals(audit, AuditLines.text().format(record).strip());
  }
}
