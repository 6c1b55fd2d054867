package io.github.perfkit.jdbc;

import java.sql.SQLException;
import java.util.Objects;

/**
 * An {@link SQLException} from a place that cannot throw checked exceptions, such as a stream's
 * {@code tryAdvance} or {@code close}. The cause is always the driver's exception.
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
    super(message + ": " + Objects.requireNonNull(cause, "cause").getMessage(), cause);
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
