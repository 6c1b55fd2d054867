package io.github.perfkit.jdbc.internal;

import java.sql.SQLException;
import java.util.OptionalLong;

/**
 * A database's bulk-load path for plain inserts, fed one captured row at a time inside the caller's
 * transaction. Not thread-safe: one per write.
 */
public interface BulkSink {

  /**
   * @param row one complete row, in the insert's column order (read it now: it is reused)
   * @throws SQLException if the database rejects it now
   */
  void row(CapturedRow row) throws SQLException;

  /**
   * Sends what is buffered (a chunk boundary).
   *
   * @throws SQLException if the database rejects it
   */
  void endChunk() throws SQLException;

  /**
   * Completes the load; the caller commits or rolls back afterwards.
   *
   * @throws SQLException if the database rejects it
   */
  void finish() throws SQLException;

  /** Abandons the load after a failure; never throws. */
  void abort();

  /**
   * @param failure what the database reported
   * @return the failing row's index within this load, when the database says which
   */
  OptionalLong failedRow(SQLException failure);
}
