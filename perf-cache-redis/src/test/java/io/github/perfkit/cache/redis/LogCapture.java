package io.github.perfkit.cache.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records every java.util.logging record (System.Logger's default backend) while open: perfkit's
 * own and Lettuce's, so a test can count perfkit's lines and check that no line carries a secret.
 */
final class LogCapture extends Handler implements AutoCloseable {

  /** The logger perfkit's Redis tier writes to. */
  static final String PERFKIT_LOGGER = "io.github.perfkit.cache.redis";

  private final List<LogRecord> records = new ArrayList<>();
  private final Logger root = Logger.getLogger("");
  private final Logger perfkit = Logger.getLogger(PERFKIT_LOGGER);
  private final Level perfkitLevel;

  LogCapture() {
    setLevel(Level.ALL);
    perfkitLevel = perfkit.getLevel();
    perfkit.setLevel(Level.ALL);
    root.addHandler(this);
  }

  @Override
  public synchronized void publish(LogRecord record) {
    records.add(record);
  }

  /** perfkit's records at {@code level} whose message mentions {@code cache}. */
  synchronized List<String> perfkit(Level level, String cache) {
    List<String> out = new ArrayList<>();
    for (LogRecord r : records) {
      String text = text(r);
      if (PERFKIT_LOGGER.equals(r.getLoggerName()) && r.getLevel() == level
          && text.contains(cache)) {
        out.add(text);
      }
    }
    return out;
  }

  /** Every record's message, parameters and exception text, from any logger. */
  synchronized List<String> everything() {
    List<String> out = new ArrayList<>();
    for (LogRecord r : records) {
      out.add(r.getLoggerName() + " " + r.getLevel() + " " + text(r));
    }
    return out;
  }

  private static String text(LogRecord r) {
    StringBuilder s = new StringBuilder(String.valueOf(r.getMessage()));
    if (r.getParameters() != null) {
      for (Object p : r.getParameters()) {
        s.append(' ').append(p);
      }
    }
    for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
      s.append(' ').append(t);
    }
    return s.toString();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    root.removeHandler(this);
    perfkit.setLevel(perfkitLevel);
  }
}
