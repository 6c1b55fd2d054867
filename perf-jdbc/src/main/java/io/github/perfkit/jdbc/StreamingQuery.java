package io.github.perfkit.jdbc;

import io.github.perfkit.core.LatencyRecorder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
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
 * promptly and leaves no cursor and no idle-in-transaction session.
 *
 * <pre>{@code
 * try (Stream<String> names = StreamingQuery.builder(dataSource, "SELECT name FROM users WHERE age > ?",
 *     rs -> rs.getString(1)).build().stream(18)) {
 *   names.forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Thread-safe (each call borrows its own connection); a returned stream is for one thread.
 * Cost: one round trip per fetch-size rows; the query's time to first row and the whole stream's life
 * are recorded into {@link #recorder()}.
 *
 * @param <T> the row type
 */
public final class StreamingQuery<T> {

  private final DataSource dataSource;
  private final String sql;
  private final RowMapper<? extends T> mapper;
  private final int fetchSize;
  private final LatencyRecorder recorder;

  private StreamingQuery(Builder<T> b) {
    this.dataSource = b.dataSource;
    this.sql = b.sql;
    this.mapper = b.mapper;
    this.fetchSize = b.fetchSize;
    this.recorder = b.recorder != null ? b.recorder : LatencyRecorder.create("perfkit.jdbc.stream");
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
   */
  public static <T> Builder<T> builder(DataSource dataSource, String sql, RowMapper<? extends T> mapper) {
    return new Builder<>(Objects.requireNonNull(dataSource, "dataSource"),
        Objects.requireNonNull(sql, "sql"), Objects.requireNonNull(mapper, "mapper"));
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
   * @throws UncheckedSqlException if the query cannot be started (the connection is closed then)
   */
  public Stream<T> stream(Object... params) {
    Objects.requireNonNull(params, "params");
    Connection c = null;
    Cursor<T> cursor;
    try {
      c = dataSource.getConnection();
      cursor = new Cursor<>(c, mapper);
      cursor.open(sql, params, fetchSize, recorder);
    } catch (SQLException e) {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException s) {
          e.addSuppressed(s);
        }
      }
      throw new UncheckedSqlException("could not start streaming query", e);
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

    void open(String sql, Object[] params, int fetchSize, LatencyRecorder recorder)
        throws SQLException {
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
      long t0 = System.nanoTime();
      try {
        resultSet = statement.executeQuery();
        recorder.record(System.nanoTime() - t0);
      } catch (SQLException e) {
        recorder.recordFailure(System.nanoTime() - t0);
        close();
        throw e;
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
        close();
        throw new UncheckedSqlException("streaming query failed while reading", e);
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
   * Builder for {@link StreamingQuery}; not thread-safe; {@link #build()} copies.
   *
   * @param <T> the row type
   */
  public static final class Builder<T> {
    private final DataSource dataSource;
    private final String sql;
    private final RowMapper<? extends T> mapper;
    private int fetchSize = 1_000;
    private LatencyRecorder recorder;

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
     */
    public Builder<T> fetchSize(int fetchSize) {
      if (fetchSize <= 0) {
        throw new IllegalArgumentException("fetchSize must be > 0 but was " + fetchSize);
      }
      this.fetchSize = fetchSize;
      return this;
    }

    /**
     * The recorder for time to first row; by default a new one named {@code perfkit.jdbc.stream}.
     *
     * @param recorder the recorder
     * @return this builder
     */
    public Builder<T> recorder(LatencyRecorder recorder) {
      this.recorder = Objects.requireNonNull(recorder, "recorder");
      return this;
    }

    /**
     * Builds the query.
     *
     * @return an immutable, thread-safe query
     */
    public StreamingQuery<T> build() {
      return new StreamingQuery<>(this);
    }
  }
}
