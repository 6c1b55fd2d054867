package io.github.perfkit.jdbc;

import io.github.perfkit.core.LatencyRecorder;
import io.github.perfkit.core.Ticker;
import io.github.perfkit.core.internal.QueryRows;
import io.github.perfkit.core.internal.Require;
import io.github.perfkit.core.internal.SetOnce;
import io.github.perfkit.jdbc.BatchWriteException.Kind;
import io.github.perfkit.jdbc.internal.BulkPath;
import io.github.perfkit.jdbc.internal.CapturedRow;
import io.github.perfkit.jdbc.internal.ChunkSink;
import io.github.perfkit.jdbc.internal.DuplicateKeyShape;
import io.github.perfkit.jdbc.internal.Failures;
import io.github.perfkit.jdbc.internal.FastPaths;
import io.github.perfkit.jdbc.internal.InsertShape;
import io.github.perfkit.jdbc.internal.JdbcBatchSink;
import io.github.perfkit.jdbc.internal.UpsertShape;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
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
 * {@code COPY ... FROM STDIN} through pgjdbc's {@code CopyManager} (rows streamed in 64 KiB writes;
 * in binary format when every inserted column's type is int2/4/8, float4/8, bool, text, varchar,
 * bytea, numeric, date, timestamp, timestamptz or uuid, read from the table's catalog once per
 * writer, and the first row's values encode for their columns; in text format otherwise, see
 * {@link WritePath#POSTGRES_BINARY_COPY}); a PostgreSQL upsert
 * {@code INSERT INTO t (cols) VALUES (?, ...) ON CONFLICT ... DO UPDATE/NOTHING} by COPY into a
 * temporary table and one {@code INSERT ... SELECT ... ON CONFLICT} per chunk, with the same result
 * as {@code executeBatch} ({@link WritePath#POSTGRES_COPY_UPSERT}); MariaDB's
 * {@code LOAD DATA LOCAL INFILE} fed from memory when the connection allows it, any warning
 * failing the write ({@link WritePath#MARIADB_LOAD_DATA}); a MariaDB upsert
 * {@code INSERT INTO t (cols) VALUES (?, ...) ON DUPLICATE KEY UPDATE ...} (which Connector/J's
 * {@code executeBatch} sends row by row) as multi-row statements of up to 1,000 rows with the
 * statement's own clause, under the server's {@code max_allowed_packet}, on a strict
 * {@code sql_mode} for an InnoDB table ({@link WritePath#MARIADB_MULTI_ROW_UPSERT}); and DuckDB's
 * Appender (when the insert names every column in table order); chunked
 * {@code executeBatch} for everything else (MariaDB Connector/J 3.x turns it into bulk statements
 * itself). {@link BatchResult#path()} says which ran; {@link Builder#bulkPaths(boolean)} turns the
 * bulk paths off. On a bulk path the binder's {@code setXxx(index, value)} calls are captured rather
 * than sent; a binder that needs other methods (streams, blobs) makes the writer use
 * {@code executeBatch}, decided on the first row before anything is written.
 *
 * <p>A failure is a {@link BatchWriteException} that says what failed: no connection could be had,
 * the statement could not start, a row (named exactly wherever the driver says which: see
 * {@link BatchWriteException}), a chunk, or a commit.
 *
 * <p>Thread-safe: each {@code write} borrows its own connection. Cost: one round trip per chunk plus
 * one commit; each chunk's time is recorded into the writer's {@link LatencyRecorder}, on every path
 * alike: from pulling the chunk's first row to the database having the whole chunk (pulling and
 * binding its rows, sending them; with {@link Builder#commitPerChunk} also ending a bulk load), the
 * commit excluded. A chunk that fails is recorded as a failure, timed up to the failure.
 *
 * @param <T> the row type
 */
public final class BatchWriter<T> {

  private static final System.Logger LOG = System.getLogger("io.github.perfkit.jdbc");

  private final DataSource dataSource;
  private final String sql;
  private final ParameterBinder<? super T> binder;
  private final int chunkSize; // rows per executeBatch
  private final int bulkChunkSize; // rows per COPY write-through / appender flush
  private final boolean commitPerChunk;
  private final boolean bulkPaths;
  private final boolean binaryCopy;
  private final Optional<InsertShape> insert;
  private final Optional<UpsertShape> upsert;
  private final Optional<DuplicateKeyShape> duplicateKey;
  private final LatencyRecorder recorder;
  private final LongSupplier ticker; // System::nanoTime unless the builder was given one
  private volatile Optional<BulkPath> chosen; // decided on the first write, then reused

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
    this.binaryCopy = b.binaryCopy;
    this.insert = InsertShape.parse(sql);
    this.upsert = insert.isPresent() ? Optional.empty() : UpsertShape.parse(sql);
    this.duplicateKey = insert.isPresent() || upsert.isPresent() ? Optional.empty()
        : DuplicateKeyShape.parse(sql);
    this.recorder = b.recorder != null ? b.recorder : LatencyRecorder.create("perfkit.jdbc.batch");
    this.ticker = b.ticker != null ? b.ticker : System::nanoTime;
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
   * @throws IllegalArgumentException if {@code sql} is blank
   */
  public static <T> Builder<T> builder(DataSource dataSource, String sql,
      ParameterBinder<? super T> binder) {
    return new Builder<>(Require.notNull(dataSource, "dataSource"), Require.notBlank(sql, "sql"),
        Require.notNull(binder, "binder"));
  }

  /**
   * The recorder that receives the time of each chunk (see the class description for what it
   * covers): one sample per chunk, a failure sample for the chunk that failed.
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
   * @throws BatchWriteException saying what failed ({@link BatchWriteException#kind()}: the
   *     connection, the statement, a row the driver named, a chunk, a commit) and naming the chunk
   *     and row where they apply; every row is rolled back unless per-chunk commit was chosen
   */
  public BatchResult write(Iterable<? extends T> rows) {
    Require.notNull(rows, "rows");
    return write(rows.iterator());
  }

  /**
   * Writes every row of {@code rows}, consuming it lazily, and closes the stream.
   *
   * @param rows the rows
   * @return rows written and time spent
   * @throws BatchWriteException saying what failed and naming the chunk and row where they apply
   */
  public BatchResult write(Stream<? extends T> rows) {
    Require.notNull(rows, "rows");
    try (rows) {
      return write(rows.iterator());
    }
  }

  private BatchResult write(Iterator<? extends T> it) {
    long start = ticker.getAsLong();
    Connection c;
    try {
      c = dataSource.getConnection();
    } catch (SQLException e) {
      throw new BatchWriteException(Kind.CONNECTION, -1, -1, 0, e);
    }
    BatchResult result;
    try {
      result = writeOn(c, it, start);
    } catch (RuntimeException | Error e) {
      closeAfter(c, e);
      throw e;
    }
    try {
      c.close();
    } catch (SQLException e) {
      // the rows are committed: the write succeeded, only returning the connection did not
      LOG.log(Level.WARNING, "closing the connection after a committed batched write failed: "
          + Failures.describe(e));
    }
    return result;
  }

  private BatchResult writeOn(Connection c, Iterator<? extends T> it, long start) {
    boolean auto;
    try {
      auto = c.getAutoCommit();
    } catch (SQLException e) {
      throw beforeAnyRow(e);
    }
    try {
      Optional<BulkPath> bulk;
      try {
        c.setAutoCommit(false);
        bulk = chosen;
        if (bulk == null) {
          bulk = bulkPaths ? FastPaths.choose(c, insert, upsert, duplicateKey, binaryCopy) : Optional.empty();
          chosen = bulk;
        }
      } catch (SQLException e) {
        throw beforeAnyRow(e);
      }
      return openAndWrite(c, bulk, it, start);
    } finally {
      restoreAutoCommit(c, auto);
    }
  }

  /**
   * Picks this write's sink, the one place a path is chosen: the writer's bulk path when it can
   * send the first row's values (that row then stays bound in the sink, so the binder runs once per
   * row), else {@code executeBatch}.
   */
  private BatchResult openAndWrite(Connection c, Optional<BulkPath> bulk,
      Iterator<? extends T> it, long start) {
    ChunkSink<T> sink = null;
    boolean firstBound = false;
    long firstBind = 0; // time spent pulling and binding the first row here, part of chunk 0
    try {
      if (bulk.isPresent() && it.hasNext()) {
        BulkPath path = bulk.get();
        CapturedRow captured = new CapturedRow(path.shape().columns().size());
        long t0 = ticker.getAsLong();
        T first;
        try {
          first = it.next();
        } catch (RuntimeException e) { // the input failed to give its first row
          throw new BatchWriteException(Kind.ROW, 0, 0, 0, e);
        }
        if (capture(captured, first, path)) {
          firstBind = ticker.getAsLong() - t0;
          sink = path.open(c, binder, captured);
          firstBound = true;
        } else {
          it = prepend(first, it); // the binder needs more than plain setters: executeBatch
        }
      }
      if (sink == null) {
        sink = new JdbcBatchSink<>(c, sql, binder);
      }
    } catch (SQLException e) {
      rollbackQuietly(c, e);
      throw beforeAnyRow(e);
    }
    int size = firstBound ? bulkChunkSize : chunkSize;
    return writeChunks(c, sink, size, it, firstBound, firstBind, start);
  }

  /**
   * The chunk loop of every path: pulls the rows, has the sink bind and send them, commits (per
   * chunk or once), records each chunk's time and, on a failure, rolls back and says what failed.
   * {@code firstBind} is the time already spent on the first row when {@code firstBound}.
   */
  private BatchResult writeChunks(Connection c, ChunkSink<T> sink, int size,
      Iterator<? extends T> it, boolean firstBound, long firstBind, long start) {
    long rows = 0; // rows appended
    long accepted = 0; // rows the database has accepted: a failure it reports is at or after this
    long committed = 0; // rows durably committed
    long chunk = 0; // the current chunk; once the loop ends, the number of chunks
    try {
      boolean pending = firstBound; // the first row is bound in the sink already
      boolean loadOpen = true; // the sink's load is not finished yet
      while (pending || it.hasNext()) {
        long chunkStart = rows;
        long t0 = ticker.getAsLong() - (chunk == 0 ? firstBind : 0);
        try {
          for (int inChunk = 0; inChunk < size && (pending || it.hasNext()); inChunk++) {
            if (!pending) {
              try {
                sink.bind(it.next());
              } catch (SQLException | RuntimeException e) { // the input or the binder, for this row
                recorder.recordFailure(ticker.getAsLong() - t0);
                throw abandon(c, sink, Kind.ROW, chunk, rows, committed, e);
              }
            }
            pending = false;
            try {
              sink.append();
            } catch (RuntimeException e) { // the sink refused this row's value
              recorder.recordFailure(ticker.getAsLong() - t0);
              throw abandon(c, sink, Kind.ROW, chunk, rows, committed, e);
            }
            rows++;
          }
          if (sink.endChunk()) {
            accepted = rows;
          }
          if (commitPerChunk) {
            sink.finish();
            loadOpen = false;
            accepted = rows;
          }
          recorder.record(ticker.getAsLong() - t0);
        } catch (BatchWriteException e) {
          throw e;
        } catch (SQLException e) { // the database rejected a row or the chunk
          recorder.recordFailure(ticker.getAsLong() - t0);
          throw rejected(c, sink, e, accepted, rows, chunk, chunkStart, size, committed);
        } catch (RuntimeException e) { // the driver failed sending the chunk
          recorder.recordFailure(ticker.getAsLong() - t0);
          throw abandon(c, sink, Kind.CHUNK, chunk, chunkStart, committed, e);
        }
        if (commitPerChunk) {
          try {
            c.commit();
          } catch (SQLException e) {
            rollbackQuietly(c, e);
            throw new BatchWriteException(Kind.COMMIT, chunk, -1, committed, e);
          }
          committed = rows;
          if (it.hasNext()) {
            try {
              sink.restart();
            } catch (SQLException e) {
              rollbackQuietly(c, e);
              throw new BatchWriteException(Kind.CHUNK, chunk + 1, rows, committed, e);
            }
            loadOpen = true;
          }
        }
        chunk++;
      }
      long last = Math.max(0, chunk - 1);
      if (loadOpen) {
        try {
          sink.finish();
        } catch (SQLException e) {
          throw rejected(c, sink, e, accepted, rows, last, last * size, size, committed);
        } catch (RuntimeException e) {
          throw abandon(c, sink, Kind.CHUNK, last, last * size, committed, e);
        }
      }
      try {
        c.commit();
      } catch (SQLException e) {
        rollbackQuietly(c, e);
        throw new BatchWriteException(Kind.COMMIT, last, -1, committed, e);
      }
    } catch (RuntimeException | Error e) {
      try {
        sink.close();
      } catch (SQLException | RuntimeException s) {
        e.addSuppressed(s);
      }
      throw e;
    }
    try {
      sink.close();
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "closing the statement after a committed batched write failed: "
          + Failures.describe(e));
    }
    QueryRows.written(rows); // rows a profiled section keeps: its diagnosis weighs rows read by them
    return new BatchResult(rows, chunk, Duration.ofNanos(ticker.getAsLong() - start),
        sink.path());
  }

  /** A failure before any row was sent: a broken connection, or a statement that cannot start. */
  private static BatchWriteException beforeAnyRow(SQLException e) {
    String state = e.getSQLState();
    Kind kind = state != null && state.startsWith("08") ? Kind.CONNECTION : Kind.STATEMENT;
    return new BatchWriteException(kind, -1, -1, 0, e);
  }

  /** Abandons the load and the transaction after {@code e}, blaming what the caller names. */
  private static BatchWriteException abandon(Connection c, ChunkSink<?> sink, Kind kind,
      long chunk, long row, long committed, Exception e) {
    sink.abort();
    rollbackQuietly(c, e);
    return new BatchWriteException(kind, chunk, row, committed, e);
  }

  /**
   * The database rejected something sent since row {@code accepted}: blames the row it names
   * (chunks are fixed-size, so the row gives its chunk), else the chunk {@code chunk}; an SQL error
   * (SQLState class 42: unknown table or column, syntax) before any row was accepted blames the
   * statement. Abandons the load and the transaction.
   */
  private static BatchWriteException rejected(Connection c, ChunkSink<?> sink, SQLException e,
      long accepted, long rows, long chunk, long chunkStart, int size, long committed) {
    OptionalLong named = sink.failedRow(e, rows - accepted);
    sink.abort();
    rollbackQuietly(c, e);
    String state = e.getSQLState();
    long row = named.isPresent() ? accepted + named.getAsLong() : -1;
    boolean nothingAccepted = named.isPresent() ? row == 0 : chunkStart == 0;
    if (state != null && state.startsWith("42") && nothingAccepted) {
      return new BatchWriteException(Kind.STATEMENT, -1, -1, committed, e);
    }
    return named.isPresent()
        ? new BatchWriteException(Kind.ROW, row / size, row, committed, e)
        : new BatchWriteException(Kind.CHUNK, chunk, chunkStart, committed, e);
  }

  private static void closeAfter(Connection c, Throwable primary) {
    try {
      c.close();
    } catch (SQLException e) {
      primary.addSuppressed(e);
    }
  }

  /**
   * Binds the first row into {@code captured}; true if the bulk path can send its values (they stay
   * in {@code captured} to be written first), false if not (nothing was written).
   */
  private boolean capture(CapturedRow captured, T row, BulkPath path) {
    try {
      captured.clear();
      binder.bind(captured.statement(), row);
      for (Object v : captured.values()) {
        if (!path.accepts(v)) {
          return false;
        }
      }
      return true;
    } catch (SQLException | RuntimeException e) {
      return false; // let executeBatch bind it and report what is wrong, if anything
    }
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

  private static void rollbackQuietly(Connection c, Throwable primary) {
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
   * Builder for {@link BatchWriter}; not thread-safe. Each setting may be made once (a second call
   * is an {@link IllegalStateException} naming it); {@link #build()} copies, so reusing a builder
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
    private boolean binaryCopy = true;
    private LatencyRecorder recorder;
    private LongSupplier ticker;
    private final SetOnce set = new SetOnce();

    private Builder(DataSource dataSource, String sql, ParameterBinder<? super T> binder) {
      this.dataSource = dataSource;
      this.sql = sql;
      this.binder = binder;
    }

    /**
     * Rows per chunk: per {@code executeBatch} (default 1,000), or per flush of a bulk path (COPY,
     * Appender, {@code LOAD DATA}, MariaDB's multi-row upsert, which sends a chunk as statements
     * of up to 1,000 rows; default 100,000, since those gain from large chunks). A chunk is also the unit of
     * {@link #commitPerChunk}, of the chunk index in a {@link BatchWriteException} and of the
     * recorder's samples. Setting it applies to every path.
     *
     * @param chunkSize rows per chunk, {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code chunkSize <= 0}
     * @throws IllegalStateException if it was set before
     */
    public Builder<T> chunkSize(int chunkSize) {
      Require.positive(chunkSize, "chunkSize");
      set.mark("chunkSize");
      this.chunkSize = chunkSize;
      return this;
    }

    /**
     * Commits after each chunk instead of once at the end (opt-in): a failure then keeps the chunks
     * committed before it.
     *
     * @param commitPerChunk whether to commit per chunk
     * @return this builder
     * @throws IllegalStateException if it was set before
     */
    public Builder<T> commitPerChunk(boolean commitPerChunk) {
      set.mark("commitPerChunk");
      this.commitPerChunk = commitPerChunk;
      return this;
    }

    /**
     * Whether plain inserts and upserts may use the database's bulk path (PostgreSQL COPY,
     * MariaDB {@code LOAD DATA LOCAL} and multi-row upserts, DuckDB's Appender) instead of
     * {@code executeBatch}; default true. Turn it off to compare, or when a
     * trigger or rule must see ordinary {@code INSERT}s.
     *
     * @param enabled whether to use bulk paths
     * @return this builder
     * @throws IllegalStateException if it was set before
     */
    public Builder<T> bulkPaths(boolean enabled) {
      set.mark("bulkPaths");
      this.bulkPaths = enabled;
      return this;
    }

    /**
     * Whether PostgreSQL's COPY may use the binary format (default true) when every inserted
     * column's type has a binary encoding in perfkit ({@link WritePath#POSTGRES_BINARY_COPY});
     * text COPY otherwise. Both give the same rows and the same guarantees; turn it off to compare
     * the two, or when a value must go through the server's text input functions.
     *
     * @param enabled whether binary COPY may be used
     * @return this builder
     * @throws IllegalStateException if it was set before
     */
    public Builder<T> binaryCopy(boolean enabled) {
      set.mark("binaryCopy");
      this.binaryCopy = enabled;
      return this;
    }

    /**
     * The recorder for chunk latencies; by default a new one named {@code perfkit.jdbc.batch}.
     *
     * @param recorder the recorder
     * @return this builder
     * @throws IllegalStateException if it was set before
     */
    public Builder<T> recorder(LatencyRecorder recorder) {
      Require.notNull(recorder, "recorder");
      set.mark("recorder");
      this.recorder = recorder;
      return this;
    }

    /**
     * The clock that times each chunk (the recorder's samples) and each write ({@link BatchResult#elapsed()}), in nanoseconds from an arbitrary origin, as
     * {@link System#nanoTime()} (the default) gives them; a test passes a fake one to get exact
     * durations.
     *
     * @param ticker reads the time in nanoseconds; called from the threads that call {@code write}
     * @return this builder
     * @throws NullPointerException if {@code ticker} is null
     * @throws IllegalStateException if it was set before
     */
    public Builder<T> ticker(Ticker ticker) {
      Require.notNull(ticker, "ticker");
      set.mark("ticker");
      this.ticker = ticker::read;
      return this;
    }

    /**
     * Builds a writer from the settings made so far; no rule spans settings, so every combination
     * builds. Each call makes a new writer, with a new default recorder unless one was set.
     *
     * @return an immutable, thread-safe writer
     */
    public BatchWriter<T> build() {
      return new BatchWriter<>(this);
    }
  }
}
