package io.github.perfkit.bench.jdbc;

import io.github.perfkit.jdbc.StreamingQuery;
import io.github.perfkit.jdbc.TimedDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Issue 18's rows-read figure: what counting the rows of each statement shape costs on a
 * 1,000,000-row stream {@code (id int8, grp int4, name varchar)}. Contenders, in one run: a
 * hand-written JDBC loop on the plain data source, perf-jdbc's {@link StreamingQuery} on the plain
 * data source, and the same {@code StreamingQuery} through a {@link TimedDataSource} (statement
 * timing plus the counting result set). Target: the timed stream at most 1.05x the plain one.
 * Time per whole stream; all contenders share one session.
 *
 * <p>Run: {@code java -jar perf-bench/target/benchmarks.jar RowsReadBenchmark -f 2 -wi 5 -i 10}
 * (PostgreSQL needs the loopback server).
 */
@Fork(2)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@State(Scope.Benchmark)
public class RowsReadBenchmark {

  static final int ROWS = 1_000_000;
  static final String QUERY = "SELECT id, grp, name FROM pk_rows_bench";

  /** Which database. */
  @Param({"duckdb", "postgres"})
  public String db;

  private Connection connection;
  private DataSource plain;
  private DataSource timed;

  /**
   * Creates and fills the table.
   *
   * @throws SQLException if the database refuses
   */
  @Setup
  public void setUp() throws SQLException {
    connection = Databases.open(db, "");
    try (Statement st = connection.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pk_rows_bench");
      st.execute("CREATE TABLE pk_rows_bench (id BIGINT, grp INT, name VARCHAR(40))");
      st.execute(db.equals("duckdb")
          ? "INSERT INTO pk_rows_bench SELECT i, i % 500, 'name ' || i FROM range(" + ROWS + ") t(i)"
          : "INSERT INTO pk_rows_bench SELECT i, i % 500, 'name ' || i FROM generate_series(0, "
              + (ROWS - 1) + ") i");
    }
    plain = Databases.sharing(connection);
    timed = TimedDataSource.builder(plain).build();
  }

  /**
   * Drops the table.
   *
   * @throws SQLException if the database refuses
   */
  @TearDown
  public void tearDown() throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute("DROP TABLE pk_rows_bench");
    }
    connection.close();
  }

  private static long consume(Stream<Row> rows) {
    long sum = 0;
    try (rows) {
      for (var it = rows.iterator(); it.hasNext(); ) {
        Row r = it.next();
        sum += r.id + r.grp + r.name.length();
      }
    }
    return sum;
  }

  private record Row(long id, int grp, String name) {}

  private static StreamingQuery<Row> query(DataSource ds) {
    return StreamingQuery.<Row>builder(ds, QUERY,
        rs -> new Row(rs.getLong(1), rs.getInt(2), rs.getString(3))).build();
  }

  /** @return a checksum */
  @Benchmark
  public long streamPlain() {
    return consume(query(plain).stream());
  }

  /** @return a checksum */
  @Benchmark
  public long streamTimedCountingRows() {
    return consume(query(timed).stream());
  }

  /**
   * The loop a user writes by hand on the plain data source.
   *
   * @param bh the sink
   * @throws SQLException if the query fails
   */
  @Benchmark
  public void handWrittenLoop(Blackhole bh) throws SQLException {
    boolean auto = connection.getAutoCommit();
    connection.setAutoCommit(false); // PostgreSQL streams only inside a transaction
    try (PreparedStatement ps = connection.prepareStatement(QUERY)) {
      ps.setFetchSize(1_000);
      try (ResultSet rs = ps.executeQuery()) {
        long sum = 0;
        while (rs.next()) {
          sum += rs.getLong(1) + rs.getInt(2) + rs.getString(3).length();
        }
        bh.consume(sum);
      }
    } finally {
      connection.commit();
      connection.setAutoCommit(auto);
    }
  }
}
