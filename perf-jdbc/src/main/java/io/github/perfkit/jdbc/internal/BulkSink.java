package io.github.perfkit.jdbc.internal;

import io.github.perfkit.jdbc.ParameterBinder;
import java.sql.SQLException;

/**
 * What the bulk paths share (PostgreSQL COPY, DuckDB's Appender, MariaDB's LOAD DATA and
 * multi-row upserts): the binder
 * sets one row into a reused {@link CapturedRow} instead of a statement, and {@link #append} hands
 * that row to the path's {@link #write}. Not thread-safe: one per write.
 *
 * @param <T> the row type
 */
public abstract class BulkSink<T> implements ChunkSink<T> {

  private final ParameterBinder<? super T> binder;
  private final CapturedRow row;

  /**
   * @param binder binds one row
   * @param row the row the binder sets; it may hold the first row already, bound by the caller to
   *     check that this path can send its values (then the loop appends it without binding it)
   */
  protected BulkSink(ParameterBinder<? super T> binder, CapturedRow row) {
    this.binder = binder;
    this.row = row;
  }

  @Override
  public final void bind(T value) throws SQLException {
    row.clear();
    binder.bind(row.statement(), value);
    row.checkComplete();
  }

  @Override
  public final void append() throws SQLException {
    write(row);
  }

  /**
   * @param row one complete row, in the insert's column order (read it now: it is reused)
   * @throws SQLException if the database rejects it now
   */
  protected abstract void write(CapturedRow row) throws SQLException;

  /** Releases what the sink holds; by default nothing: finish() or abort() released the load. */
  @Override
  public void close() throws SQLException {
    // finish() or abort() released the load
  }
}
