package io.github.perfkit.bench.jdbc;

import io.github.perfkit.jdbc.BatchWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import javax.sql.DataSource;
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

/**
 * Issue 18 item 3's question: why did perfkit's chunked bulk batches measure 0.64-0.72x one raw bulk
 * batch on MariaDB in steady state? Separates the two suspects, in one run, on
 * {@link BatchInsertBenchmark}'s rows and tables: chunking itself (the same raw loop calling
 * {@code executeBatch} every 1,000 or 10,000 rows against once for all 100,000) and perfkit's own
 * cost (its writer at the same chunk sizes, 1,000 being its default). If raw chunks of 1,000 are as
 * slow as perfkit's, the gap is the driver's per-batch cost, not perfkit.
 *
 * <p>The connection turns {@code allowLocalInfile} off, so that perfkit sends bulk statements here
 * rather than {@code LOAD DATA} ({@link MariaDbLoadDataBenchmark} measures that).
 *
 * <p>Run: {@code java -jar perf-bench/target/benchmarks.jar MariaDbChunkingBenchmark -f 1 -wi 5 -i 5}
 * (needs the loopback MariaDB).
 */
@Fork(1)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 5)
public class MariaDbChunkingBenchmark {

  static final int ROWS = BatchInsertBenchmark.ROWS;

  @State(Scope.Benchmark)
  public static class Db {
    @Param({"keyed", "unkeyed"})
    public String table;

    Connection connection;
    BatchWriter<Long> chunks1000;
    BatchWriter<Long> chunks10000;
    BatchWriter<Long> chunks100000;

    @Setup(Level.Trial)
    public void open() throws SQLException {
      // bulk statements only: with local infile allowed (Connector/J's default) perfkit would load
      connection = Databases.open("mariadb", "allowLocalInfile=false");
      DataSource shared = Databases.sharing(connection);
      try (Statement st = connection.createStatement()) {
        st.execute("DROP TABLE IF EXISTS pk_bench");
        st.execute("CREATE TABLE pk_bench (id BIGINT" + (table.equals("keyed") ? " PRIMARY KEY" : "")
            + ", name VARCHAR(40), amount BIGINT)");
      }
      chunks1000 = BatchWriter.builder(shared, BatchInsertBenchmark.INSERT,
          BatchInsertBenchmark.BINDER).build();
      chunks10000 = BatchWriter.builder(shared, BatchInsertBenchmark.INSERT,
          BatchInsertBenchmark.BINDER).chunkSize(10_000).build();
      chunks100000 = BatchWriter.builder(shared, BatchInsertBenchmark.INSERT,
          BatchInsertBenchmark.BINDER).chunkSize(100_000).build();
    }

    @Setup(Level.Invocation)
    public void empty() throws SQLException {
      connection.setAutoCommit(true);
      try (Statement st = connection.createStatement()) {
        st.execute("TRUNCATE TABLE pk_bench");
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

  static long rawChunks(Connection c, int chunk) throws SQLException {
    c.setAutoCommit(false);
    long n = 0;
    try (PreparedStatement ps = c.prepareStatement(BatchInsertBenchmark.INSERT)) {
      for (long i = 0; i < ROWS; i++) {
        BatchInsertBenchmark.BINDER.bind(ps, i);
        ps.addBatch();
        if ((i + 1) % chunk == 0) {
          n += ps.executeBatch().length;
        }
      }
      n += ps.executeBatch().length;
    }
    c.commit();
    c.setAutoCommit(true);
    return n;
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long rawOneBatch(Db d) throws SQLException {
    return BatchInsertBenchmark.oneBatch(d.connection);
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long rawChunks1000(Db d) throws SQLException {
    return rawChunks(d.connection, 1_000);
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long rawChunks10000(Db d) throws SQLException {
    return rawChunks(d.connection, 10_000);
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long perfkitChunks1000(Db d) {
    return d.chunks1000.write(LongStream.range(0, ROWS).boxed()).rowsWritten();
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long perfkitChunks10000(Db d) {
    return d.chunks10000.write(LongStream.range(0, ROWS).boxed()).rowsWritten();
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long perfkitChunks100000(Db d) {
    return d.chunks100000.write(LongStream.range(0, ROWS).boxed()).rowsWritten();
  }
}
