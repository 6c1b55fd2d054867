package io.github.perfkit.bench.jdbc;

import io.github.perfkit.jdbc.BatchResult;
import io.github.perfkit.jdbc.BatchWriter;
import io.github.perfkit.jdbc.ParameterBinder;
import io.github.perfkit.jdbc.WritePath;
import java.sql.Connection;
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
 * MariaDB upserts: 100,000 rows upserted into
 * {@code pk_mdb_upsert (id BIGINT PRIMARY KEY, name VARCHAR(64), amount BIGINT)} (InnoDB) holding
 * 50,000 rows, so half of the upserted rows are new and half conflict
 * ({@code ON DUPLICATE KEY UPDATE name = VALUES(name), amount = VALUES(amount)}), in one run:
 * perfkit's {@link BatchWriter} with its defaults (multi-row statements of up to 1,000 rows,
 * {@link WritePath#MARIADB_MULTI_ROW_UPSERT}), the raw {@code executeBatch} of 1,000 in one
 * transaction that users write (Connector/J sends it one statement per row), and perfkit with
 * {@code bulkPaths(false)} (its chunked {@code executeBatch}). All on one default connection; the
 * table is refilled before every invocation. Time per row.
 *
 * <p>Run: {@code java -jar perf-bench/target/benchmarks.jar MariaDbUpsertBenchmark -f 1 -wi 3 -i 5}
 * (needs the loopback MariaDB).
 */
@Fork(1)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class MariaDbUpsertBenchmark {

  static final int ROWS = 100_000;
  static final String UPSERT = "INSERT INTO pk_mdb_upsert (id, name, amount) VALUES (?, ?, ?) "
      + "ON DUPLICATE KEY UPDATE name = VALUES(name), amount = VALUES(amount)";
  static final ParameterBinder<Long> BINDER = (ps, id) -> {
    ps.setLong(1, id);
    ps.setString(2, "name-" + id);
    ps.setLong(3, id * 7);
  };

  @State(Scope.Benchmark)
  public static class Db {
    Connection connection;
    BatchWriter<Long> writer;
    BatchWriter<Long> batchWriter; // bulkPaths(false)

    @Setup(Level.Trial)
    public void open() throws SQLException {
      connection = Databases.open("mariadb", "");
      try (Statement st = connection.createStatement()) {
        st.execute("DROP TABLE IF EXISTS pk_mdb_upsert");
        st.execute("CREATE TABLE pk_mdb_upsert (id BIGINT PRIMARY KEY, name VARCHAR(64),"
            + " amount BIGINT) ENGINE=InnoDB");
      }
      writer = BatchWriter.builder(Databases.sharing(connection), UPSERT, BINDER).build();
      batchWriter = BatchWriter.builder(Databases.sharing(connection), UPSERT, BINDER)
          .bulkPaths(false).build();
    }

    /** 50,000 existing rows, the even ids: half of the 100,000 upserted rows conflict. */
    @Setup(Level.Invocation)
    public void refill() throws SQLException {
      connection.setAutoCommit(true);
      try (Statement st = connection.createStatement()) {
        st.execute("TRUNCATE TABLE pk_mdb_upsert");
        st.execute("INSERT INTO pk_mdb_upsert SELECT seq * 2, 'old', 0 FROM seq_0_to_"
            + (ROWS / 2 - 1));
      }
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
      try (Statement st = connection.createStatement()) {
        st.execute("DROP TABLE IF EXISTS pk_mdb_upsert");
      }
      connection.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long perfkit(Db d) {
    BatchResult r = d.writer.write(LongStream.range(0, ROWS).boxed());
    if (r.path() != WritePath.MARIADB_MULTI_ROW_UPSERT) {
      throw new IllegalStateException(r.path().toString());
    }
    return r.rowsWritten();
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long perfkitBulkPathsOff(Db d) {
    BatchResult r = d.batchWriter.write(LongStream.range(0, ROWS).boxed());
    if (r.path() != WritePath.JDBC_BATCH) {
      throw new IllegalStateException(r.path().toString());
    }
    return r.rowsWritten();
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long executeBatch(Db d) throws SQLException {
    Connection c = d.connection;
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
