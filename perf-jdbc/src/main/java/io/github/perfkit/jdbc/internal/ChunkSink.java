package io.github.perfkit.jdbc.internal;

import io.github.perfkit.jdbc.WritePath;
import java.sql.SQLException;
import java.util.OptionalLong;

/**
 * One write's way into the database, fed by {@code BatchWriter}'s chunk loop: the loop pulls each
 * row, has the sink {@link #bind} and {@link #append} it, ends every chunk with {@link #endChunk},
 * ends the load with {@link #finish} before each commit, and owns everything the paths share (chunk
 * and row counts, commits, the recorder, which row or chunk a failure blames). A sink owns only what
 * differs per path: how a row is bound and sent, and how to read the failing row out of the
 * database's error. One implementation per {@link WritePath}: {@link JdbcBatchSink},
 * {@link PgCopySink}, {@link PgBinaryCopySink}, {@link PgUpsertSink}, {@link DuckAppenderSink},
 * {@link MariaDbLoadDataSink}, {@link MariaDbUpsertSink}.
 *
 * <p>Failures mean: from {@link #bind}, this row (the input or the binder) is at fault; an
 * {@link SQLException} from {@link #append}, {@link #endChunk} or {@link #finish} is the database
 * rejecting something sent since the last point where it accepted everything (see
 * {@link #failedRow}); a {@link RuntimeException} from {@link #append} is the sink refusing this
 * row's value. Not thread-safe: one per write, on the write's connection and transaction.
 *
 * @param <T> the row type
 */
public interface ChunkSink<T> {

  /**
   * @return the path this sink writes through
   */
  WritePath path();

  /**
   * Binds one row's values (the user's binder runs here); nothing reaches the database yet.
   *
   * @param row the row
   * @throws SQLException if the binder fails
   */
  void bind(T row) throws SQLException;

  /**
   * Hands the row bound last on; a sink may send buffered rows now.
   *
   * @throws SQLException if the database rejects what was sent
   */
  void append() throws SQLException;

  /**
   * Sends what the chunk left buffered.
   *
   * @return whether the database has now accepted every row appended so far, so that a later
   *     failure never blames one of them (true for {@code executeBatch}; false for COPY, whose
   *     errors arrive when the load ends)
   * @throws SQLException if the database rejects the chunk
   */
  boolean endChunk() throws SQLException;

  /**
   * Completes the load so that the transaction can commit; the database has then accepted every
   * row appended.
   *
   * @throws SQLException if the database rejects the load
   */
  void finish() throws SQLException;

  /**
   * Starts the next load after a commit (per-chunk commits), before more rows come.
   *
   * @throws SQLException if it cannot start
   */
  void restart() throws SQLException;

  /** Abandons the load after a failure, before the rollback; never throws. */
  void abort();

  /**
   * Which row the database blamed.
   *
   * @param failure what {@link #append}, {@link #endChunk} or {@link #finish} threw
   * @param unaccepted rows appended since the database last accepted everything
   * @return the failing row, counted from the first of those {@code unaccepted} rows, when the
   *     database says which
   */
  OptionalLong failedRow(SQLException failure, long unaccepted);

  /**
   * Releases what the sink holds (a statement), after the commit or the rollback.
   *
   * @throws SQLException if releasing fails
   */
  void close() throws SQLException;
}
