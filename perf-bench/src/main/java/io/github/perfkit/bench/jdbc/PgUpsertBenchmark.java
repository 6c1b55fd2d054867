package io.github.perfkit.bench.jdbc;

import io.github.perfkit.jdbc.BatchResult;
import io.github.perfkit.jdbc.BatchWriter;
import io.github.perfkit.jdbc.ParameterBinder;
import io.github.perfkit.jdbc.WritePath;
import io.github.perfkit.testkit.LoopbackServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 18's upsert figure: 100,000 rows upserted into PostgreSQL's
 * {@code pk_upsert (id int8 primary key, name text, amount int8)} holding 50,000 rows, so half of
 * the upserted rows are new and half conflict ({@code ON CONFLICT (id) DO UPDATE}): perfkit's
 * {@link BatchWriter} (COPY into a temporary table, one {@code INSERT ... SELECT ... ON CONFLICT}
 * per chunk) against {@code executeBatch} of 1,000 in one transaction on a connection with
 * {@code reWriteBatchedInserts=true} (pgjdbc's fastest batch), in one run. The table is refilled
 * before every invocation. Time per row.
 *
 * <p>Run: {@code java -jar perf-bench/target/benchmarks.jar PgUpsertBenchmark -f 1 -wi 3 -i 5}
 * (needs the loopback PostgreSQL).
 */
@Fork(1)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class PgUpsertBenchmark {

  static final int ROWS = 100_000;
  static final String UPSERT = "INSERT INTO pk_upsert (id, name, amount) VALUES (?, ?, ?) "
      + "ON CONFLICT (id) DO UPDATE SET name = excluded.name, amount = excluded.amount";
  static final ParameterBinder<Long> BINDER = (ps, id) -> {
    ps.setLong(1, id);
    ps.setString(2, "name-" + id);
    ps.setLong(3, id * 7);
  };

  @State(Scope.Benchmark)
  public static class Db {
    Connection connection;
    Connection rewriting; // reWriteBatchedInserts=true
    BatchWriter<Long> writer;

    @Setup(Level.Trial)
    public void open() throws SQLException {
      connection = Databases.open("postgres", "");
      var s = LoopbackServices.postgres();
      rewriting = DriverManager.getConnection(s.jdbcUrl() + (s.jdbcUrl().contains("?") ? "&" : "?")
          + "reWriteBatchedInserts=true", s.user(), s.password());
      try (Statement st = connection.createStatement()) {
        st.execute("DROP TABLE IF EXISTS pk_upsert");
        st.execute("CREATE TABLE pk_upsert (id INT8 PRIMARY KEY, name TEXT, amount INT8)");
      }
      writer = BatchWriter.builder(Databases.sharing(connection), UPSERT, BINDER).build();
    }

    /** 50,000 existing rows, the even ids: half of the 100,000 upserted rows conflict. */
    @Setup(Level.Invocation)
    public void refill() throws SQLException {
      connection.setAutoCommit(true);
      try (Statement st = connection.createStatement()) {
        st.execute("TRUNCATE TABLE pk_upsert");
        st.execute("INSERT INTO pk_upsert SELECT g * 2, 'old', 0 FROM generate_series(0, "
            + (ROWS / 2 - 1) + ") g");
        st.execute("VACUUM ANALYZE pk_upsert");
      }
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
      try (Statement st = connection.createStatement()) {
        st.execute("DROP TABLE IF EXISTS pk_upsert");
      }
      connection.close();
      rewriting.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long perfkit(Db d) {
    BatchResult r = d.writer.write(LongStream.range(0, ROWS).boxed());
    if (r.path() != WritePath.POSTGRES_COPY_UPSERT) {
      throw new IllegalStateException(r.path().toString());
    }
    return r.rowsWritten();
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long executeBatchRewritten(Db d) throws SQLException {
    Connection c = d.rewriting;
    c.setAutoCommit(false);
    long n = 0;
    try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
      for (long i = 0; i < ROWS; i++) {
        BINDER.bind(ps, i);
        ps.addBatch();
        if ((i + 1) % 1_000 == 0) {
          n += ps.executeBatch().length;
        }
      }
      n += ps.executeBatch().length;
    }
    c.commit();
    c.setAutoCommit(true);
    return n;
  }
}
