package io.github.perfkit.bench.jdbc;

import io.github.perfkit.jdbc.BatchResult;
import io.github.perfkit.jdbc.BatchWriter;
import io.github.perfkit.jdbc.ParameterBinder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Issue 5's insert benchmark: 100,000 rows {@code (id BIGINT, name VARCHAR(40), amount BIGINT)}
 * through perfkit's {@link BatchWriter} against row-by-row autocommit (10,000 rows, it is slow),
 * plain {@code executeBatch} of 1,000 in one transaction, and the fastest raw path of each database:
 * PostgreSQL {@code COPY} through {@code CopyManager} (64 KiB writes), DuckDB's Appender appending
 * primitives, MariaDB one {@code executeBatch} of all rows (Connector/J 3.x sends inserts as bulk
 * statements by default). On a table with a primary key and on one without. Time per row; the table
 * is truncated before every invocation, all contenders share one session. perfkit runs with its
 * defaults (on a bulk path: one transaction, flushes every 100,000 rows); the raw Appender runs
 * without a transaction, as a user would write it.
 *
 * <p>Run: {@code java -jar perf-bench/target/benchmarks.jar BatchInsertBenchmark} (needs the
 * loopback PostgreSQL and MariaDB).
 */
@Fork(1)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class BatchInsertBenchmark {

  static final int ROWS = 100_000;
  static final int SLOW_ROWS = 10_000;
  static final String INSERT = "INSERT INTO pk_bench (id, name, amount) VALUES (?, ?, ?)";
  static final ParameterBinder<Long> BINDER = (ps, id) -> {
    ps.setLong(1, id);
    ps.setString(2, "name-" + id);
    ps.setLong(3, id * 7);
  };

  @State(Scope.Benchmark)
  public static class Db {
    @Param({"postgres", "mariadb", "duckdb"})
    public String db;

    @Param({"keyed", "unkeyed"})
    public String table;

    Connection connection;
    DataSource shared;
    BatchWriter<Long> writer;

    @Setup(Level.Trial)
    public void open() throws SQLException {
      connection = Databases.open(db, "");
      shared = Databases.sharing(connection);
      try (Statement st = connection.createStatement()) {
        st.execute("DROP TABLE IF EXISTS pk_bench");
        st.execute("CREATE TABLE pk_bench (id BIGINT" + (table.equals("keyed") ? " PRIMARY KEY" : "")
            + ", name VARCHAR(40), amount BIGINT)");
      }
      writer = BatchWriter.builder(shared, INSERT, BINDER).build();
    }

    @Setup(Level.Invocation)
    public void empty() throws SQLException {
      connection.setAutoCommit(true);
      try (Statement st = connection.createStatement()) {
        st.execute(db.equals("duckdb") ? "DELETE FROM pk_bench" : "TRUNCATE TABLE pk_bench");
      }
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
      try (Statement st = connection.createStatement()) {
        st.execute("DROP TABLE IF EXISTS pk_bench");
      }
      connection.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(SLOW_ROWS)
  public long rowByRowAutocommit(Db d) throws SQLException {
    d.connection.setAutoCommit(true);
    long n = 0;
    try (PreparedStatement ps = d.connection.prepareStatement(INSERT)) {
      for (long i = 0; i < SLOW_ROWS; i++) {
        BINDER.bind(ps, i);
        n += ps.executeUpdate();
      }
    }
    return n;
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long executeBatch1000(Db d) throws SQLException {
    d.connection.setAutoCommit(false);
    long n = 0;
    try (PreparedStatement ps = d.connection.prepareStatement(INSERT)) {
      for (long i = 0; i < ROWS; i++) {
        BINDER.bind(ps, i);
        ps.addBatch();
        if ((i + 1) % 1_000 == 0) {
          n += ps.executeBatch().length;
        }
      }
      n += ps.executeBatch().length;
    }
    d.connection.commit();
    d.connection.setAutoCommit(true);
    return n;
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long rawFastest(Db d) throws Exception {
    return switch (d.db) {
      case "postgres" -> rawCopy(d.connection);
      case "duckdb" -> rawAppender(d.connection);
      default -> oneBatch(d.connection);
    };
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long perfkit(Db d) {
    BatchResult result = d.writer.write(LongStream.range(0, ROWS).boxed());
    return result.rowsWritten();
  }

  static long rawCopy(Connection c) throws SQLException {
    c.setAutoCommit(false);
    CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
        .copyIn("COPY pk_bench (id, name, amount) FROM STDIN");
    StringBuilder text = new StringBuilder(1 << 17);
    for (long i = 0; i < ROWS; i++) {
      text.append(i).append('\t').append("name-").append(i).append('\t').append(i * 7).append('\n');
      if (text.length() >= 1 << 16) {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        text.setLength(0);
      }
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    copy.writeToCopy(bytes, 0, bytes.length);
    long n = copy.endCopy();
    c.commit();
    c.setAutoCommit(true);
    return n;
  }

  static long rawAppender(Connection c) throws SQLException {
    c.setAutoCommit(false);
    try (DuckDBAppender appender = c.unwrap(DuckDBConnection.class)
        .createAppender(DuckDBConnection.DEFAULT_SCHEMA, "pk_bench")) {
      for (long i = 0; i < ROWS; i++) {
        appender.beginRow();
        appender.append(i);
        appender.append("name-" + i);
        appender.append(i * 7);
        appender.endRow();
      }
    }
    c.commit();
    c.setAutoCommit(true);
    return ROWS;
  }

  static long oneBatch(Connection c) throws SQLException {
    c.setAutoCommit(false);
    long n = 0;
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (long i = 0; i < ROWS; i++) {
        BINDER.bind(ps, i);
        ps.addBatch();
      }
      n += ps.executeBatch().length;
    }
    c.commit();
    c.setAutoCommit(true);
    return n;
  }
}
