package io.github.perfkit.jdbc;

import io.github.perfkit.core.LatencyRecorder;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Writes many rows through one parameterised statement with chunked {@code executeBatch}, inside one
 * transaction by default (a failure rolls back every row), or with a commit per chunk when chosen.
 * Input is consumed lazily, one chunk at a time, so an {@link Iterable} or {@link Stream} of millions
 * of rows passes through in memory bounded by the chunk size.
 *
 * <p>Make one with {@link #builder(DataSource, String, ParameterBinder)}:
 *
 * <pre>{@code
 * BatchWriter<Order> writer = BatchWriter.builder(dataSource,
 *         "INSERT INTO orders(id, amount) VALUES (?, ?)",
 *         (ps, o) -> { ps.setLong(1, o.id()); ps.setLong(2, o.amount()); })
 *     .chunkSize(1_000).build();
 * BatchResult result = writer.write(orders);
 * }</pre>
 *
 * <p>Thread-safe: each {@code write} borrows its own connection. Cost: one round trip per chunk plus
 * one commit; each chunk's execution time is recorded into the writer's {@link LatencyRecorder}.
 *
 * @param <T> the row type
 */
public final class BatchWriter<T> {

  private final DataSource dataSource;
  private final String sql;
  private final ParameterBinder<? super T> binder;
  private final int chunkSize;
  private final boolean commitPerChunk;
  private final LatencyRecorder recorder;

  private BatchWriter(Builder<T> b) {
    this.dataSource = b.dataSource;
    this.sql = b.sql;
    this.binder = b.binder;
    this.chunkSize = b.chunkSize;
    this.commitPerChunk = b.commitPerChunk;
    this.recorder = b.recorder != null ? b.recorder : LatencyRecorder.create("perfkit.jdbc.batch");
  }

  /**
   * Starts a builder.
   *
   * @param dataSource where connections come from
   * @param sql the parameterised statement ({@code INSERT}, {@code UPDATE} or an upsert)
   * @param binder binds one row's values
   * @param <T> the row type
   * @return a new builder
   * @throws NullPointerException naming the null argument
   */
  public static <T> Builder<T> builder(DataSource dataSource, String sql,
      ParameterBinder<? super T> binder) {
    return new Builder<>(Objects.requireNonNull(dataSource, "dataSource"),
        Objects.requireNonNull(sql, "sql"), Objects.requireNonNull(binder, "binder"));
  }

  /**
   * The recorder that receives the time of each executed chunk.
   *
   * @return the chunk-latency recorder
   */
  public LatencyRecorder recorder() {
    return recorder;
  }

  /**
   * Writes every row of {@code rows}, consuming it lazily.
   *
   * @param rows the rows
   * @return rows written and time spent
   * @throws BatchWriteException naming the failing chunk and row; every row is rolled back unless
   *     per-chunk commit was chosen
   */
  public BatchResult write(Iterable<? extends T> rows) {
    Objects.requireNonNull(rows, "rows");
    return write(rows.iterator());
  }

  /**
   * Writes every row of {@code rows}, consuming it lazily, and closes the stream.
   *
   * @param rows the rows
   * @return rows written and time spent
   * @throws BatchWriteException naming the failing chunk and row
   */
  public BatchResult write(Stream<? extends T> rows) {
    Objects.requireNonNull(rows, "rows");
    try (rows) {
      return write(rows.iterator());
    }
  }

  private BatchResult write(Iterator<? extends T> it) {
    long start = System.nanoTime();
    long rows = 0;
    long committed = 0;
    long chunk = 0;
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        while (it.hasNext()) {
          long chunkStart = rows;
          int inChunk = 0;
          try {
            while (inChunk < chunkSize && it.hasNext()) {
              binder.bind(ps, it.next());
              ps.addBatch();
              inChunk++;
              rows++;
            }
          } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c, e);
            throw new BatchWriteException(chunk, rows, committed, e);
          }
          long t0 = System.nanoTime();
          try {
            ps.executeBatch();
            recorder.record(System.nanoTime() - t0);
          } catch (SQLException e) {
            recorder.recordFailure(System.nanoTime() - t0);
            rollbackQuietly(c, e);
            throw new BatchWriteException(chunk, failedRow(e, chunkStart), committed, e);
          }
          if (commitPerChunk) {
            c.commit();
            committed = rows;
          }
          chunk++;
        }
        c.commit();
      } catch (SQLException e) {
        rollbackQuietly(c, e);
        throw new BatchWriteException(chunk, rows, committed, e);
      } finally {
        restoreAutoCommit(c, auto);
      }
    } catch (SQLException e) {
      throw new BatchWriteException(chunk, rows, committed, e);
    }
    return new BatchResult(rows, chunk, Duration.ofNanos(System.nanoTime() - start));
  }

  private static long failedRow(SQLException e, long chunkStart) {
    if (e instanceof BatchUpdateException bue) {
      int[] counts = bue.getUpdateCounts();
      if (counts != null) {
        for (int i = 0; i < counts.length; i++) {
          if (counts[i] == Statement.EXECUTE_FAILED) {
            return chunkStart + i;
          }
        }
        return chunkStart + counts.length;
      }
    }
    return chunkStart;
  }

  private static void rollbackQuietly(Connection c, Exception primary) {
    try {
      c.rollback();
    } catch (SQLException r) {
      primary.addSuppressed(r);
    }
  }

  private static void restoreAutoCommit(Connection c, boolean auto) {
    try {
      if (!c.isClosed()) {
        c.setAutoCommit(auto);
      }
    } catch (SQLException ignored) {
      // the connection is being closed anyway
    }
  }

  /**
   * Builder for {@link BatchWriter}; not thread-safe; {@link #build()} copies, so reusing a builder
   * never changes a writer it already built.
   *
   * @param <T> the row type
   */
  public static final class Builder<T> {
    private final DataSource dataSource;
    private final String sql;
    private final ParameterBinder<? super T> binder;
    private int chunkSize = 1_000;
    private boolean commitPerChunk;
    private LatencyRecorder recorder;

    private Builder(DataSource dataSource, String sql, ParameterBinder<? super T> binder) {
      this.dataSource = dataSource;
      this.sql = sql;
      this.binder = binder;
    }

    /**
     * Rows per {@code executeBatch}; default 1,000.
     *
     * @param chunkSize rows per chunk, {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code chunkSize <= 0}
     */
    public Builder<T> chunkSize(int chunkSize) {
      if (chunkSize <= 0) {
        throw new IllegalArgumentException("chunkSize must be > 0 but was " + chunkSize);
      }
      this.chunkSize = chunkSize;
      return this;
    }

    /**
     * Commits after each chunk instead of once at the end (opt-in): a failure then keeps the chunks
     * committed before it.
     *
     * @param commitPerChunk whether to commit per chunk
     * @return this builder
     */
    public Builder<T> commitPerChunk(boolean commitPerChunk) {
      this.commitPerChunk = commitPerChunk;
      return this;
    }

    /**
     * The recorder for chunk latencies; by default a new one named {@code perfkit.jdbc.batch}.
     *
     * @param recorder the recorder
     * @return this builder
     */
    public Builder<T> recorder(LatencyRecorder recorder) {
      this.recorder = Objects.requireNonNull(recorder, "recorder");
      return this;
    }

    /**
     * Builds the writer.
     *
     * @return an immutable, thread-safe writer
     */
    public BatchWriter<T> build() {
      return new BatchWriter<>(this);
    }
  }
}
