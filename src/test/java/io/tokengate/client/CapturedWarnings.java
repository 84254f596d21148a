package io.tokengate.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The warnings a class logs while this is open (System.Logger writes to java.util.logging here). */
final class CapturedWarnings extends Handler implements AutoCloseable {

  private final Logger logger;
  private final List<String> messages = Collections.synchronizedList(new ArrayList<>());

  private CapturedWarnings(Logger logger) {
    this.logger = logger;
  }

  static CapturedWarnings of(Class<?> type) {
    CapturedWarnings warnings = new CapturedWarnings(Logger.getLogger(type.getName()));
    warnings.logger.addHandler(warnings);
    return warnings;
  }

  List<String> messages() {
    return List.copyOf(messages);
  }

  @Override
  public void publish(LogRecord record) {
    if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
      messages.add(record.getMessage());
    }
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
