package io.github.perfkit.jdbc.internal;

import io.github.perfkit.jdbc.ParameterBinder;
import io.github.perfkit.jdbc.WritePath;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A bulk-load path that {@link FastPaths#choose} decided on for one writer, with what it learned of
 * the table; it opens a sink per write (a {@link BulkSink}, or a {@link PgUpsertSink} around one). Immutable and thread-safe.
 */
public interface BulkPath {

  /**
   * @return which path this is
   */
  WritePath path();

  /**
   * @return the insert it takes over
   */
  InsertShape shape();

  /**
   * @param value a value a binder set
   * @return whether this path can send it
   */
  boolean accepts(Object value);

  /**
   * Starts a load on the write's connection.
   *
   * @param connection the write's connection, autocommit off
   * @param binder binds one row
   * @param row the row the binder sets (it may hold the first row already)
   * @param <T> the row type
   * @return a started sink
   * @throws SQLException if the load cannot start
   */
  <T> ChunkSink<T> open(Connection connection, ParameterBinder<? super T> binder, CapturedRow row)
      throws SQLException;
}
