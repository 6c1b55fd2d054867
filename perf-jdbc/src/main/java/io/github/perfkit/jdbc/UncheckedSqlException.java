package io.github.perfkit.jdbc;

import io.github.perfkit.jdbc.internal.Failures;
import java.sql.SQLException;
import java.util.Objects;

/**
 * An {@link SQLException} from a place that cannot throw checked exceptions, such as a stream's
 * {@code tryAdvance} or {@code close}. The cause is always the driver's exception. The message says
 * what perfkit was doing and the cause's SQLState and vendor code, but not the driver's message,
 * which often quotes the statement and its values: read that from {@link #getCause()}.
 */
public final class UncheckedSqlException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Wraps {@code cause}.
   *
   * @param message what perfkit was doing
   * @param cause the driver's exception
   */
  public UncheckedSqlException(String message, SQLException cause) {
    super(message + ": " + Failures.describe(Objects.requireNonNull(cause, "cause")), cause);
  }

  /**
   * The driver's exception.
   *
   * @return the cause
   */
  @Override
  public synchronized SQLException getCause() {
    return (SQLException) super.getCause();
  }
}
