package io.github.perfkit.jdbc;

/**
 * Thrown when a batched write fails. Names the chunk (0-based) and the row index (0-based, over the
 * whole input) of the failure, and how many rows were committed before it (0 unless per-chunk commit
 * was chosen). The cause is the driver's {@link java.sql.SQLException} or the binder's exception.
 */
public final class BatchWriteException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final long chunkIndex;
  private final long rowIndex;
  private final long rowsCommitted;

  /**
   * Creates the exception.
   *
   * @param chunkIndex the failing chunk, 0-based
   * @param rowIndex the failing row over the whole input, 0-based; the chunk's first row when the
   *     driver does not say which row of the chunk failed
   * @param rowsCommitted rows durably committed before the failure
   * @param cause the underlying failure
   */
  public BatchWriteException(long chunkIndex, long rowIndex, long rowsCommitted, Throwable cause) {
    super("batched write failed in chunk " + chunkIndex + " at row index " + rowIndex + " ("
        + rowsCommitted + " rows committed before it): " + cause, cause);
    this.chunkIndex = chunkIndex;
    this.rowIndex = rowIndex;
    this.rowsCommitted = rowsCommitted;
  }

  /**
   * The failing chunk.
   *
   * @return the 0-based chunk index
   */
  public long chunkIndex() {
    return chunkIndex;
  }

  /**
   * The failing row (or the chunk's first row when the driver does not say which one failed).
   *
   * @return the 0-based row index over the whole input
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
