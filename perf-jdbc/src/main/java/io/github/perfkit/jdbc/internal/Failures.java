package io.github.perfkit.jdbc.internal;

import java.sql.SQLException;

/**
 * Describes a failure for perfkit's own exception messages without copying the driver's text, which
 * often quotes the statement and its values (pgjdbc's "Batch entry 7 INSERT ... VALUES ('...')", a
 * duplicate key's value, MariaDB's "near '...'"). The cause chain keeps the driver's message.
 */
public final class Failures {

  private Failures() {}

  /**
   * @param failure a driver's or user code's exception
   * @return its type and, for an {@link SQLException}, its SQLState and vendor code: never its message
   */
  public static String describe(Throwable failure) {
    if (failure instanceof SQLException e) {
      return "SQLState " + e.getSQLState() + ", vendor code " + e.getErrorCode() + " ("
          + e.getClass().getSimpleName() + "; the cause has the driver's message)";
    }
    return failure.getClass().getName() + " (see the cause)";
  }
}
