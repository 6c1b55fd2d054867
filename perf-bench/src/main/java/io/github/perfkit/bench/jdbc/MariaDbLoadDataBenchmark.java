package io.github.perfkit.bench.jdbc;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
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
 * Does MariaDB's {@code LOAD DATA LOCAL INFILE} (rows streamed from the client as tab-separated
 * text, {@code allowLocalInfile=true}) beat Connector/J's bulk {@code executeBatch}? Same rows and
 * tables as {@link BatchInsertBenchmark}, same units (time per row); and perfkit's writer, which
 * takes the LOAD DATA path on such a connection (issue 18: >= 1.0x one raw bulk batch).
 *
 * <p>Run: {@code java -jar perf-bench/target/benchmarks.jar MariaDbLoadDataBenchmark}.
 */
@Fork(1)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class MariaDbLoadDataBenchmark {

  @State(Scope.Benchmark)
  public static class Db {
    @Param({"keyed", "unkeyed"})
    public String table;

    Connection connection;
    io.github.perfkit.jdbc.BatchWriter<Long> writer;

    @Setup(Level.Trial)
    public void open() throws SQLException {
      connection = Databases.open("mariadb", "allowLocalInfile=true");
      writer = io.github.perfkit.jdbc.BatchWriter.builder(Databases.sharing(connection),
          BatchInsertBenchmark.INSERT, BatchInsertBenchmark.BINDER).build();
      try (Statement st = connection.createStatement()) {
        st.execute("DROP TABLE IF EXISTS pk_bench");
        st.execute("CREATE TABLE pk_bench (id BIGINT" + (table.equals("keyed") ? " PRIMARY KEY" : "")
            + ", name VARCHAR(40), amount BIGINT)");
      }
    }

    @Setup(Level.Invocation)
    public void empty() throws SQLException {
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

  /** Generates the rows as text while the driver reads them: nothing is built up front. */
  static final class Rows extends InputStream {
    private long next;
    private byte[] line = new byte[0];
    private int pos;

    @Override
    public int read() {
      if (pos == line.length) {
        if (next == BatchInsertBenchmark.ROWS) {
          return -1;
        }
        line = (next + "\tname-" + next + "\t" + next * 7 + "\n").getBytes(StandardCharsets.UTF_8);
        pos = 0;
        next++;
      }
      return line[pos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      int n = 0;
      while (n < len) {
        int c = read();
        if (c < 0) {
          return n == 0 ? -1 : n;
        }
        b[off + n++] = (byte) c;
      }
      return n;
    }
  }

  @Benchmark
  @OperationsPerInvocation(BatchInsertBenchmark.ROWS)
  public long loadDataLocalInfile(Db d) throws SQLException {
    d.connection.setAutoCommit(false);
    try (Statement st = d.connection.createStatement()) {
      st.unwrap(org.mariadb.jdbc.Statement.class).setLocalInfileInputStream(new Rows());
      long n = st.executeUpdate("LOAD DATA LOCAL INFILE 'rows.tsv' INTO TABLE pk_bench "
          + "(id, name, amount)");
      d.connection.commit();
      return n;
    } finally {
      d.connection.setAutoCommit(true);
    }
  }

  /** perfkit's writer with its defaults: LOAD DATA here, since the connection allows it. */
  @Benchmark
  @OperationsPerInvocation(BatchInsertBenchmark.ROWS)
  public long perfkit(Db d) {
    io.github.perfkit.jdbc.BatchResult r = d.writer.write(java.util.stream.LongStream
        .range(0, BatchInsertBenchmark.ROWS).boxed());
    if (r.path() != io.github.perfkit.jdbc.WritePath.MARIADB_LOAD_DATA) {
      throw new IllegalStateException(r.path().toString());
    }
    return r.rowsWritten();
  }

  @Benchmark
  @OperationsPerInvocation(BatchInsertBenchmark.ROWS)
  public long bulkExecuteBatch(Db d) throws SQLException {
    return BatchInsertBenchmark.oneBatch(d.connection);
  }
}
