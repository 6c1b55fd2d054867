package io.github.perfkit.jdbc;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of a batched write: how many rows were written and how long it took. Immutable.
 *
 * @param rowsWritten rows sent to and accepted by the database
 * @param chunks number of chunks executed
 * @param elapsed wall time from the first row to the final commit
 * @param path how the rows were sent
 */
public record BatchResult(long rowsWritten, long chunks, Duration elapsed, WritePath path) {

  /**
   * Validates the components.
   *
   * @param rowsWritten rows written, {@code >= 0}
   * @param chunks chunks executed, {@code >= 0}
   * @param elapsed wall time, not null
   * @param path how the rows were sent, not null
   */
  public BatchResult {
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(path, "path");
    if (rowsWritten < 0) {
      throw new IllegalArgumentException("rowsWritten must be >= 0 but was " + rowsWritten);
    }
    if (chunks < 0) {
      throw new IllegalArgumentException("chunks must be >= 0 but was " + chunks);
    }
  }

  /**
   * A result of the {@code executeBatch} path.
   *
   * @param rowsWritten rows written, {@code >= 0}
   * @param chunks chunks executed, {@code >= 0}
   * @param elapsed wall time, not null
   */
  public BatchResult(long rowsWritten, long chunks, Duration elapsed) {
    this(rowsWritten, chunks, elapsed, WritePath.JDBC_BATCH);
  }

  /**
   * Rows per second over the whole operation.
   *
   * @return the throughput, or 0 when nothing was written
   */
  public double rowsPerSecond() {
    long nanos = elapsed.toNanos();
    return nanos <= 0 ? 0 : rowsWritten * 1e9 / nanos;
  }
}
