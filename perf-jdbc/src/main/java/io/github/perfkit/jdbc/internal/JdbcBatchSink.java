package io.github.perfkit.jdbc.internal;

import io.github.perfkit.jdbc.ParameterBinder;
import io.github.perfkit.jdbc.WritePath;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The path every database and every DML statement has: the binder sets the parameters of one
 * {@link PreparedStatement}, {@code addBatch} per row, {@code executeBatch} per chunk. Not
 * thread-safe: one per write.
 *
 * @param <T> the row type
 */
public final class JdbcBatchSink<T> implements ChunkSink<T> {

  private final Connection connection;
  private final PreparedStatement statement;
  private final ParameterBinder<? super T> binder;

  /**
   * Prepares the statement.
   *
   * @param connection the write's connection, autocommit off
   * @param sql the statement
   * @param binder binds one row
   * @throws SQLException if the statement cannot be prepared
   */
  public JdbcBatchSink(Connection connection, String sql, ParameterBinder<? super T> binder)
      throws SQLException {
    this.connection = connection;
    this.binder = binder;
    this.statement = connection.prepareStatement(sql);
  }

  @Override
  public WritePath path() {
    return WritePath.JDBC_BATCH;
  }

  @Override
  public void bind(T row) throws SQLException {
    binder.bind(statement, row);
    statement.addBatch();
  }

  @Override
  public void append() {
    // addBatch (in bind) queued the row already
  }

  @Override
  public boolean endChunk() throws SQLException {
    statement.executeBatch();
    return true;
  }

  @Override
  public void finish() {
    // every chunk was executed by endChunk
  }

  @Override
  public void restart() {
    // the statement is reused across commits
  }

  @Override
  public void abort() {
    // the rollback that follows discards the executed chunks; close() releases the statement
  }

  /**
   * The failing row's index within the batch, when the driver says which: by update counts
   * (successes before an {@code EXECUTE_FAILED}, or fewer counts than rows when the driver stopped
   * at the failure: H2, DuckDB, MariaDB without bulk statements), or by pgjdbc's "Batch entry N"
   * (which marks every entry failed). Empty when every entry is marked failed and nothing else
   * tells (MariaDB's bulk statements).
   */
  @Override
  public OptionalLong failedRow(SQLException failure, long unaccepted) {
    if (unaccepted == 1) {
      return OptionalLong.of(0);
    }
    if (failure instanceof BatchUpdateException bue) {
      int[] counts = bue.getUpdateCounts();
      if (counts != null) {
        int firstFailed = -1;
        boolean allFailed = counts.length > 0;
        for (int i = 0; i < counts.length; i++) {
          if (counts[i] == Statement.EXECUTE_FAILED) {
            if (firstFailed < 0) {
              firstFailed = i;
            }
          } else {
            allFailed = false;
          }
        }
        if (firstFailed >= 0 && !allFailed) {
          return OptionalLong.of(firstFailed);
        }
        if (firstFailed < 0 && counts.length < unaccepted) {
          return OptionalLong.of(counts.length); // the driver stopped at the failing row
        }
      }
      if (FastPaths.PGJDBC) {
        OptionalInt entry = PgBatchEntry.failedEntry(connection, bue, (int) unaccepted);
        if (entry.isPresent()) {
          return OptionalLong.of(entry.getAsInt());
        }
      }
    }
    return OptionalLong.empty();
  }

  @Override
  public void close() throws SQLException {
    statement.close();
  }
}
