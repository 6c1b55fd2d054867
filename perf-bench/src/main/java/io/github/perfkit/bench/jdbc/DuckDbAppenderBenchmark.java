package io.github.perfkit.bench.jdbc;

import io.github.perfkit.jdbc.BatchWriter;
import java.sql.Connection;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * DuckDB's Appender with and without a transaction, beside perfkit's {@link BatchWriter} on the same
 * table and rows as {@link BatchInsertBenchmark}. With autocommit off, DuckDB's JDBC driver begins a
 * transaction only at the first statement, so the raw loop of {@link BatchInsertBenchmark} (autocommit
 * off, append, commit) appends without one, each flush committing by itself; perfkit starts one
 * first, so a failed write leaves nothing behind. {@code rawAppenderInTransaction} is that same
 * atomic load written by hand: the like-for-like raw alternative.
 *
 * <p>Run: {@code java -jar perf-bench/target/benchmarks.jar DuckDbAppenderBenchmark -f 2 -i 15}.
 */
@Fork(1)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
public class DuckDbAppenderBenchmark {

  @State(Scope.Benchmark)
  public static class Duck {
    @Param({"keyed", "unkeyed"})
    public String table;

    Connection connection;
    BatchWriter<Long> writer;

    @Setup(Level.Trial)
    public void open() throws SQLException {
      connection = Databases.open("duckdb", "");
      try (Statement st = connection.createStatement()) {
        st.execute("CREATE TABLE pk_bench (id BIGINT" + (table.equals("keyed") ? " PRIMARY KEY" : "")
            + ", name VARCHAR(40), amount BIGINT)");
      }
      writer = BatchWriter.builder(Databases.sharing(connection), BatchInsertBenchmark.INSERT,
          BatchInsertBenchmark.BINDER).build();
    }

    @Setup(Level.Invocation)
    public void empty() throws SQLException {
      connection.setAutoCommit(true);
      try (Statement st = connection.createStatement()) {
        st.execute("DELETE FROM pk_bench");
      }
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
      connection.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(BatchInsertBenchmark.ROWS)
  public long rawAppender(Duck d) throws SQLException {
    return BatchInsertBenchmark.rawAppender(d.connection);
  }

  @Benchmark
  @OperationsPerInvocation(BatchInsertBenchmark.ROWS)
  public long rawAppenderInTransaction(Duck d) throws SQLException {
    d.connection.setAutoCommit(false);
    try (Statement begin = d.connection.createStatement()) {
      begin.execute("SELECT 1"); // begins the transaction the appender then writes in
    }
    return BatchInsertBenchmark.rawAppender(d.connection);
  }

  @Benchmark
  @OperationsPerInvocation(BatchInsertBenchmark.ROWS)
  public long perfkit(Duck d) {
    return d.writer.write(LongStream.range(0, BatchInsertBenchmark.ROWS).boxed()).rowsWritten();
  }
}
