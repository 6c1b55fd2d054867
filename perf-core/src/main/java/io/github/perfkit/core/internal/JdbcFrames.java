package io.github.perfkit.core.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Recognizes sampled frames that execute a JDBC statement: a method named {@code execute...} of a
 * class that implements {@code java.sql.Statement}, whatever the driver; {@link #batch} tells the
 * batched ones ({@code executeBatch}, {@code executeLargeBatch}), which are already the remedy for
 * statements issued one by one. The class is looked up by
 * name without initializing it (context class loader, then this class's); a frame whose class cannot
 * be loaded does not count. {@code java.sql} is looked up reflectively (it belongs to the platform
 * class loader), so a runtime image without
 * it simply finds no statements. Not thread-safe: one per diagnosis.
 */
public final class JdbcFrames implements Predicate<String> {

  private static final Class<?> STATEMENT = load("java.sql.Statement",
      ClassLoader.getPlatformClassLoader());

  private final Map<String, Boolean> classes = new HashMap<>();

  @Override
  public boolean test(String frame) {
    if (STATEMENT == null) {
      return false;
    }
    int dot = frame.lastIndexOf('.');
    if (dot <= 0 || !frame.startsWith("execute", dot + 1)) {
      return false;
    }
    return classes.computeIfAbsent(frame.substring(0, dot), JdbcFrames::isStatement);
  }

  /**
   * A predicate for batched executions of a statement.
   *
   * @return true for {@code executeBatch} and {@code executeLargeBatch} of a {@code Statement}
   */
  public java.util.function.Predicate<String> batch() {
    return frame -> (frame.endsWith(".executeBatch") || frame.endsWith(".executeLargeBatch"))
        && test(frame);
  }

  private static boolean isStatement(String className) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    Class<?> c = context == null ? null : load(className, context);
    if (c == null) {
      c = load(className, JdbcFrames.class.getClassLoader());
    }
    return c != null && STATEMENT.isAssignableFrom(c);
  }

  private static Class<?> load(String name, ClassLoader loader) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError | SecurityException e) {
      return null;
    }
  }
}
