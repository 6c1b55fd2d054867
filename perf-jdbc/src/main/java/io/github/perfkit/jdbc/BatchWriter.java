package io.github.perfkit.jdbc;

import io.github.perfkit.core.LatencyRecorder;
import io.github.perfkit.jdbc.internal.BulkSink;
import io.github.perfkit.jdbc.internal.CapturedRow;
import io.github.perfkit.jdbc.internal.FastPaths;
import io.github.perfkit.jdbc.internal.InsertShape;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
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
 * <p><b>Fastest path per database</b>, decided on the first write and reused (a writer is for one
 * statement on one database): for a plain {@code INSERT INTO t (cols) VALUES (?, ...)}, PostgreSQL's
 * {@code COPY ... FROM STDIN} through pgjdbc's {@code CopyManager} (rows streamed in 64 KiB writes)
 * and DuckDB's Appender (when the insert names every column in table order); chunked
 * {@code executeBatch} for everything else (MariaDB Connector/J 3.x turns it into bulk statements
 * itself). {@link BatchResult#path()} says which ran; {@link Builder#bulkPaths(boolean)} turns the
 * bulk paths off. On a bulk path the binder's {@code setXxx(index, value)} calls are captured rather
 * than sent; a binder that needs other methods (streams, blobs) makes the writer use
 * {@code executeBatch}, decided on the first row before anything is written.
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
  private final int chunkSize; // rows per executeBatch
  private final int bulkChunkSize; // rows per COPY write-through / appender flush
  private final boolean commitPerChunk;
  private final boolean bulkPaths;
  private final Optional<InsertShape> insert;
  private final LatencyRecorder recorder;
  private volatile Optional<FastPaths.Plan> chosen; // decided on the first write, then reused

  /** Rows per {@code executeBatch} unless set. */
  static final int DEFAULT_CHUNK = 1_000;
  /** Rows per COPY flush or Appender flush unless set: bulk paths gain from large chunks. */
  static final int DEFAULT_BULK_CHUNK = 100_000;

  private BatchWriter(Builder<T> b) {
    this.dataSource = b.dataSource;
    this.sql = b.sql;
    this.binder = b.binder;
    this.chunkSize = b.chunkSize > 0 ? b.chunkSize : DEFAULT_CHUNK;
    this.bulkChunkSize = b.chunkSize > 0 ? b.chunkSize : DEFAULT_BULK_CHUNK;
    this.commitPerChunk = b.commitPerChunk;
    this.bulkPaths = b.bulkPaths;
    this.insert = InsertShape.parse(sql);
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
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      try {
        c.setAutoCommit(false);
        Optional<FastPaths.Plan> bulk = chosen;
        if (bulk == null) {
          bulk = bulkPaths ? FastPaths.choose(c, insert) : Optional.empty();
          chosen = bulk;
        }
        if (bulk.isPresent() && it.hasNext()) {
          CapturedRow captured = new CapturedRow(insert.orElseThrow().columns().size());
          T first = it.next();
          if (capture(captured, first, bulk.get().path())) {
            return writeBulk(c, bulk.get(), captured, it, start);
          }
          it = prepend(first, it); // the binder needs more than plain setters: executeBatch
        }
        return writeBatches(c, it, start);
      } finally {
        restoreAutoCommit(c, auto);
      }
    } catch (SQLException e) {
      throw new BatchWriteException(0, 0, 0, e);
    }
  }

  /**
   * Binds the first row into {@code captured}; true if the bulk path can send its values (they stay
   * in {@code captured} to be written first), false if not (nothing was written).
   */
  private boolean capture(CapturedRow captured, T row, WritePath path) {
    try {
      captured.clear();
      binder.bind(captured.statement(), row);
      for (Object v : captured.values()) {
        if (!FastPaths.accepts(path, v)) {
          return false;
        }
      }
      return true;
    } catch (SQLException | RuntimeException e) {
      return false; // let executeBatch bind it and report what is wrong, if anything
    }
  }

  private BatchResult writeBulk(Connection c, FastPaths.Plan plan, CapturedRow captured,
      Iterator<? extends T> it, long start) throws SQLException {
    WritePath path = plan.path();
    long rows = 0;
    long committed = 0;
    long chunk = 0;
    long loadStart = 0; // row index where the current load (COPY / appender) began
    boolean pending = true; // the first row is bound in 'captured' already
    BulkSink sink = plan.open(c);
    try {
      while (pending || it.hasNext()) {
        long chunkStart = rows;
        long t0 = System.nanoTime();
        int inChunk = 0;
        try {
          while (inChunk < bulkChunkSize && (pending || it.hasNext())) {
            if (!pending) {
              captured.clear();
              binder.bind(captured.statement(), it.next());
              captured.checkComplete();
            }
            pending = false;
            sink.row(captured);
            inChunk++;
            rows++;
          }
          sink.endChunk();
          if (commitPerChunk) {
            sink.finish();
          }
          recorder.record(System.nanoTime() - t0);
        } catch (SQLException e) {
          recorder.recordFailure(System.nanoTime() - t0);
          long failed = loadStart + sink.failedRow(e).orElse(chunkStart - loadStart);
          throw fail(c, sink, failed / bulkChunkSize, failed, committed, e); // chunks are fixed-size
        } catch (RuntimeException e) {
          throw fail(c, sink, chunk, rows, committed, e);
        }
        chunk++;
        if (commitPerChunk) {
          c.commit();
          committed = rows;
          if (it.hasNext()) {
            sink = plan.open(c);
            loadStart = rows;
          } else {
            sink = null;
          }
        }
      }
      if (sink != null) {
        try {
          sink.finish();
        } catch (SQLException e) {
          long failed = loadStart + sink.failedRow(e).orElse(Math.max(0, rows - 1) - loadStart);
          throw fail(c, sink, failed / bulkChunkSize, failed, committed, e);
        }
      }
      c.commit();
    } catch (SQLException e) {
      if (sink != null) {
        sink.abort();
      }
      rollbackQuietly(c, e);
      throw new BatchWriteException(chunk, rows, committed, e);
    }
    return new BatchResult(rows, chunk, Duration.ofNanos(System.nanoTime() - start), path);
  }

  private static BatchWriteException fail(Connection c, BulkSink sink, long chunk, long row,
      long committed, Exception e) {
    sink.abort();
    rollbackQuietly(c, e);
    return new BatchWriteException(chunk, row, committed, e);
  }

  private static <E> Iterator<E> prepend(E first, Iterator<? extends E> rest) {
    return new Iterator<>() {
      private boolean firstDone;

      @Override
      public boolean hasNext() {
        return !firstDone || rest.hasNext();
      }

      @Override
      public E next() {
        if (!firstDone) {
          firstDone = true;
          return first;
        }
        if (!rest.hasNext()) {
          throw new NoSuchElementException();
        }
        return rest.next();
      }
    };
  }

  private BatchResult writeBatches(Connection c, Iterator<? extends T> it, long start)
      throws SQLException {
    long rows = 0;
    long committed = 0;
    long chunk = 0;
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
    private int chunkSize; // 0: the path's default
    private boolean commitPerChunk;
    private boolean bulkPaths = true;
    private LatencyRecorder recorder;

    private Builder(DataSource dataSource, String sql, ParameterBinder<? super T> binder) {
      this.dataSource = dataSource;
      this.sql = sql;
      this.binder = binder;
    }

    /**
     * Rows per chunk: per {@code executeBatch} (default 1,000), or per flush of a bulk path (COPY,
     * Appender; default 100,000, since those gain from large chunks). A chunk is also the unit of
     * {@link #commitPerChunk}, of the chunk index in a {@link BatchWriteException} and of the
     * recorder's samples. Setting it applies to every path.
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
     * Whether plain inserts may use the database's bulk-load path (PostgreSQL COPY, DuckDB's
     * Appender) instead of {@code executeBatch}; default true. Turn it off to compare, or when a
     * trigger or rule must see ordinary {@code INSERT}s.
     *
     * @param enabled whether to use bulk paths
     * @return this builder
     */
    public Builder<T> bulkPaths(boolean enabled) {
      this.bulkPaths = enabled;
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
