package io.github.perfkit.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Maps the current row of a result set to a value. Must not advance or close the result set.
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface RowMapper<T> {

  /**
   * Maps the current row.
   *
   * @param resultSet positioned on the row to map
   * @return the mapped value, not null
   * @throws SQLException when a column cannot be read
   */
  T map(ResultSet resultSet) throws SQLException;
}
