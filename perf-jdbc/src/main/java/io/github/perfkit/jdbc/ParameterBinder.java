package io.github.perfkit.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Binds one row's values to a prepared statement's parameters. Called once per row on the writing
 * thread; implementations need not be thread-safe if the writer is used from one thread.
 *
 * @param <T> the row type
 */
@FunctionalInterface
public interface ParameterBinder<T> {

  /**
   * Sets the parameters of {@code statement} from {@code row}.
   *
   * @param statement the statement to bind
   * @param row the row to write
   * @throws SQLException when the driver rejects a value
   */
  void bind(PreparedStatement statement, T row) throws SQLException;
}
