package io.github.perfkit.jdbc;

import io.github.perfkit.jdbc.internal.Failures;
import java.util.Objects;

/**
 * Thrown when a batched write fails. Says what failed ({@link #kind()}): no connection could be had,
 * the statement could not start, one row failed (the driver said which, or the binder or the input
 * threw for it), a chunk failed without the driver saying which row, or a commit failed. It names
 * the chunk (0-based) and the row index (0-based, over the whole input) where they apply, and how
 * many rows were committed before the failure (0 unless per-chunk commit was chosen). The cause is
 * the driver's {@link java.sql.SQLException} or the binder's exception; the message carries the
 * cause's SQLState and type but never the driver's text (which quotes values).
 *
 * <p>Which paths name the exact row: PostgreSQL COPY (the server's {@code line N}), PostgreSQL
 * {@code executeBatch} (pgjdbc's "Batch entry N", unless {@code reWriteBatchedInserts=true}), H2,
 * DuckDB's {@code executeBatch}, MariaDB without bulk statements ({@code useBulkStmts=false} and
 * {@code useBulkStmtsForInserts=false}); MariaDB's default bulk statements and DuckDB's Appender
 * report the chunk only.
 */
public final class BatchWriteException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What failed. */
  public enum Kind {
    /**
     * No connection could be had (a closed pool, a wrong password, an unreachable server): no row
     * was sent; {@link #chunkIndex()} and {@link #rowIndex()} are -1.
     */
    CONNECTION,
    /**
     * The statement or the bulk load could not start (an unknown table or column, a syntax error,
     * the connection refusing the transaction settings): no row was written; the indexes are -1.
     */
    STATEMENT,
    /** The row at {@link #rowIndex()} failed: the driver said which, or the binder or input threw. */
    ROW,
    /**
     * The database rejected the chunk at {@link #chunkIndex()} without saying which of its rows
     * failed (or the connection broke while it was sent): {@link #rowIndex()} is its first row.
     */
    CHUNK,
    /** A commit failed after chunk {@link #chunkIndex()} was sent; {@link #rowIndex()} is -1. */
    COMMIT
  }

  private final Kind kind;
  private final long chunkIndex;
  private final long rowIndex;
  private final long rowsCommitted;

  /**
   * Creates the exception.
   *
   * @param kind what failed
   * @param chunkIndex the failing chunk, 0-based, or -1 when no chunk is to blame
   * @param rowIndex the failing row over the whole input, 0-based; the chunk's first row for
   *     {@link Kind#CHUNK}; -1 when no row is to blame
   * @param rowsCommitted rows durably committed before the failure
   * @param cause the underlying failure
   */
  public BatchWriteException(Kind kind, long chunkIndex, long rowIndex, long rowsCommitted,
      Throwable cause) {
    super(message(Objects.requireNonNull(kind, "kind"), chunkIndex, rowIndex, rowsCommitted, cause),
        cause);
    this.kind = kind;
    this.chunkIndex = chunkIndex;
    this.rowIndex = rowIndex;
    this.rowsCommitted = rowsCommitted;
  }

  private static String message(Kind kind, long chunk, long row, long committed, Throwable cause) {
    String what = switch (kind) {
      case CONNECTION -> "batched write could not get a connection; no row was sent";
      case STATEMENT -> "batched write could not start its statement; no row was written";
      case ROW -> "batched write failed at row index " + row + " in chunk " + chunk + " ("
          + committed + " rows committed before it)";
      case CHUNK -> "batched write failed in chunk " + chunk + ", which starts at row index " + row
          + " (the driver did not say which of its rows failed; " + committed
          + " rows committed before it)";
      case COMMIT -> "batched write failed to commit after chunk " + chunk + " (" + committed
          + " rows committed before it)";
    };
    return what + ": " + Failures.describe(Objects.requireNonNull(cause, "cause"));
  }

  /**
   * What failed.
   *
   * @return the kind of failure
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The failing chunk.
   *
   * @return the 0-based chunk index, or -1 for {@link Kind#CONNECTION} and {@link Kind#STATEMENT}
   */
  public long chunkIndex() {
    return chunkIndex;
  }

  /**
   * The failing row: exact for {@link Kind#ROW}, the chunk's first row for {@link Kind#CHUNK}.
   *
   * @return the 0-based row index over the whole input, or -1 when no row is to blame
   */
  public long rowIndex() {
    return rowIndex;
  }

  /**
   * Rows committed before the failure: 0 with the default all-or-nothing transaction.
   *
   * @return the committed row count
   */
  public long rowsCommitted() {
    return rowsCommitted;
  }
}
