package io.github.perfkit.jdbc;

import io.github.perfkit.core.LatencyRecorder;
import io.github.perfkit.core.Ticker;
import io.github.perfkit.core.internal.Require;
import io.github.perfkit.core.internal.SetOnce;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;

/**
 * Runs a query and returns its rows as a lazily filled {@link Stream} that really streams: rows are
 * fetched from the server in batches of the fetch size, never all at once. What each driver needs is
 * applied: PostgreSQL gets autocommit off plus a fetch size on a forward-only, read-only statement (a
 * server-side portal); MariaDB/MySQL get a positive fetch size (Connector/J 3.x streams); DuckDB and H2
 * get the fetch size (both read lazily).
 *
 * <p>Always close the stream ({@code try (Stream<T> s = ...)}): closing or exhausting it closes the
 * result set and the statement, ends the read-only transaction (rolled back), restores autocommit and
 * closes the connection this class borrowed. Early close on PostgreSQL closes the portal, so it returns
 * promptly and leaves no cursor and no idle-in-transaction session. An exception thrown while the
 * stream is being read, by the driver, the row mapper or a downstream operation ({@code map},
 * {@code filter}, the action of {@code forEach}), closes all of that too before it reaches the caller,
 * unchanged (a driver's {@link SQLException} arrives as an {@link UncheckedSqlException}), so a failing
 * mapper never leaks a pooled connection. A short-circuiting operation that stops early without an
 * exception ({@code findFirst}, {@code limit}, {@code anyMatch}) leaves the cursor open until the
 * stream is closed.
 *
 * <pre>{@code
 * try (Stream<String> names = StreamingQuery.builder(dataSource, "SELECT name FROM users WHERE age > ?",
 *     rs -> rs.getString(1)).build().stream(18)) {
 *   names.forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Thread-safe (each call borrows its own connection); a returned stream is for one thread.
 * Cost: one round trip per fetch-size rows; each query's execution (until the driver returns the
 * result set, the time to first row) is recorded into {@link #recorder()}, not the time the caller
 * spends consuming the stream.
 *
 * @param <T> the row type
 */
public final class StreamingQuery<T> {

  private final DataSource dataSource;
  private final String sql;
  private final RowMapper<? extends T> mapper;
  private final int fetchSize;
  private final LatencyRecorder recorder;
  private final LongSupplier ticker;

  private StreamingQuery(Builder<T> b) {
    this.dataSource = b.dataSource;
    this.sql = b.sql;
    this.mapper = b.mapper;
    this.fetchSize = b.fetchSize;
    this.recorder = b.recorder != null ? b.recorder : LatencyRecorder.create("perfkit.jdbc.stream");
    this.ticker = b.ticker != null ? b.ticker : System::nanoTime;
  }

  /**
   * Starts a builder.
   *
   * @param dataSource where the connection comes from
   * @param sql the query, with {@code ?} parameters
   * @param mapper maps one row
   * @param <T> the row type
   * @return a new builder
   * @throws NullPointerException naming the null argument
   * @throws IllegalArgumentException if {@code sql} is blank
   */
  public static <T> Builder<T> builder(DataSource dataSource, String sql, RowMapper<? extends T> mapper) {
    return new Builder<>(Require.notNull(dataSource, "dataSource"), Require.notBlank(sql, "sql"),
        Require.notNull(mapper, "mapper"));
  }

  /** The rows per fetch; for tests. */
  int fetchSize() {
    return fetchSize;
  }

  /**
   * Records the time to the first row of each query.
   *
   * @return the recorder
   */
  public LatencyRecorder recorder() {
    return recorder;
  }

  /**
   * Runs the query with {@code params} bound in order and returns its rows as a stream that must be
   * closed.
   *
   * @param params parameter values, bound with {@code setObject}
   * @return a lazy stream of mapped rows
   * @throws UncheckedSqlException if no connection can be had or the query cannot be started (the
   *     connection is closed then)
   */
  public Stream<T> stream(Object... params) {
    Require.notNull(params, "params");
    Connection c;
    try {
      c = dataSource.getConnection();
    } catch (SQLException e) {
      throw new UncheckedSqlException("could not get a connection for the streaming query", e);
    }
    Cursor<T> cursor = new Cursor<>(c, mapper);
    try {
      cursor.open(sql, params, fetchSize, recorder, ticker);
    } catch (SQLException e) {
      cursor.closeAfter(e);
      throw new UncheckedSqlException("could not start streaming query", e);
    } catch (RuntimeException | Error e) {
      cursor.closeAfter(e);
      throw e;
    }
    return StreamSupport.stream(cursor, false).onClose(cursor::close);
  }

  /** One open query: a spliterator over its result set that closes everything once. */
  private static final class Cursor<T> extends Spliterators.AbstractSpliterator<T> {
    private final Connection connection;
    private final RowMapper<? extends T> mapper;
    private PreparedStatement statement;
    private ResultSet resultSet;
    private boolean restoreAutoCommit;
    private boolean closed;

    Cursor(Connection connection, RowMapper<? extends T> mapper) {
      super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
      this.connection = connection;
      this.mapper = mapper;
    }

    void open(String sql, Object[] params, int fetchSize, LatencyRecorder recorder,
        LongSupplier ticker) throws SQLException {
      String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
      if (product.contains("postgres") && connection.getAutoCommit()) {
        // pgjdbc only uses a portal (fetches in batches) outside autocommit
        connection.setAutoCommit(false);
        restoreAutoCommit = true;
      }
      statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
          ResultSet.CONCUR_READ_ONLY);
      statement.setFetchSize(fetchSize);
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      long t0 = ticker.getAsLong();
      try {
        resultSet = statement.executeQuery();
        recorder.record(ticker.getAsLong() - t0);
      } catch (SQLException e) {
        recorder.recordFailure(ticker.getAsLong() - t0);
        throw e; // the caller closes
      }
    }

    @Override
    public boolean tryAdvance(Consumer<? super T> action) {
      if (closed) {
        return false;
      }
      try {
        if (!resultSet.next()) {
          close();
          return false;
        }
        action.accept(mapper.map(resultSet));
        return true;
      } catch (SQLException e) {
        closeAfter(e);
        throw new UncheckedSqlException("streaming query failed while reading", e);
      } catch (RuntimeException | Error e) {
        // the mapper or a downstream operation (map, filter, forEach's action) threw: without
        // try-with-resources nobody else would close the cursor, end the transaction and return
        // the connection. The caller's exception passes through unchanged.
        closeAfter(e);
        throw e;
      }
    }

    /** Closes everything after {@code primary}, attaching a failure to close to it. */
    void closeAfter(Throwable primary) {
      try {
        close();
      } catch (RuntimeException | Error e) {
        if (e != primary) {
          primary.addSuppressed(e);
        }
      }
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      SQLException failure = null;
      try {
        if (resultSet != null) {
          resultSet.close();
        }
      } catch (SQLException e) {
        failure = e;
      }
      try {
        if (statement != null) {
          statement.close();
        }
      } catch (SQLException e) {
        failure = add(failure, e);
      }
      try {
        if (restoreAutoCommit && !connection.isClosed()) {
          connection.rollback();
          connection.setAutoCommit(true);
        }
      } catch (SQLException e) {
        failure = add(failure, e);
      }
      try {
        connection.close();
      } catch (SQLException e) {
        failure = add(failure, e);
      }
      if (failure != null) {
        throw new UncheckedSqlException("closing streaming query failed", failure);
      }
    }

    private static SQLException add(SQLException first, SQLException next) {
      if (first == null) {
        return next;
      }
      first.addSuppressed(next);
      return first;
    }
  }

  /**
   * Builder for {@link StreamingQuery}; not thread-safe. Each setting may be made once (a second
   * call is an {@link IllegalStateException} naming it); {@link #build()} copies, so reusing a
   * builder never changes a query it already built.
   *
   * @param <T> the row type
   */
  public static final class Builder<T> {
    private final DataSource dataSource;
    private final String sql;
    private final RowMapper<? extends T> mapper;
    private int fetchSize = 1_000;
    private LatencyRecorder recorder;
    private LongSupplier ticker;
    private final SetOnce set = new SetOnce();

    private Builder(DataSource dataSource, String sql, RowMapper<? extends T> mapper) {
      this.dataSource = dataSource;
      this.sql = sql;
      this.mapper = mapper;
    }

    /**
     * Rows per round trip; default 1,000.
     *
     * @param fetchSize rows per fetch, {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code fetchSize <= 0}
     * @throws IllegalStateException if it was set before
     */
    public Builder<T> fetchSize(int fetchSize) {
      Require.positive(fetchSize, "fetchSize");
      set.mark("fetchSize");
      this.fetchSize = fetchSize;
      return this;
    }

    /**
     * The recorder for time to first row; by default a new one named {@code perfkit.jdbc.stream}.
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
     * The clock that times each query's execution (the recorder's samples), in nanoseconds from an arbitrary origin, as
     * {@link System#nanoTime()} (the default) gives them; a test passes a fake one to get exact
     * durations.
     *
     * @param ticker reads the time in nanoseconds; called from the threads that call {@code stream}
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
     * Builds a query from the settings made so far; no rule spans settings, so every combination
     * builds. Each call makes a new query, with a new default recorder unless one was set.
     *
     * @return an immutable, thread-safe query
     */
    public StreamingQuery<T> build() {
      return new StreamingQuery<>(this);
    }
  }
}
