package io.tokengate.logging;

import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/** Audit records are JSON objects of their own: whatever the log format, they are written bare, one per line. */
final class AuditLines extends Formatter {

  static final String LOGGER = "tokengate.audit";

  private final Formatter others;

  AuditLines(Formatter others) {
    this.others = others;
  }

  static boolean isAudit(LogRecord record) {
    return LOGGER.equals(record.getLoggerName());
  }

  static Formatter text() {
    return new AuditLines(new SimpleFormatter());
  }

  @Override
  public String format(LogRecord record) {
    return isAudit(record) ? record.getMessage() + System.lineSeparator() : others.format(record);
  }
}
