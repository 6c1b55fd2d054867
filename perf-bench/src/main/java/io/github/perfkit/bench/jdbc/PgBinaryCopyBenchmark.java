package io.github.perfkit.bench.jdbc;

import io.github.perfkit.jdbc.BatchResult;
import io.github.perfkit.jdbc.BatchWriter;
import io.github.perfkit.jdbc.ParameterBinder;
import io.github.perfkit.jdbc.WritePath;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
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
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Issue 18's binary COPY figure: 1,000,000 rows of a 9-column numeric/text/timestamp table
 * {@code (id int8, qty int4, total int8, ratio float8, price numeric(12,2), weight numeric(18,4),
 * name text, city varchar(40), at timestamp)}, no key, logged and unlogged, into PostgreSQL through perfkit's
 * {@link BatchWriter} on binary COPY (its default for these types), the same writer with
 * {@code binaryCopy(false)} (text COPY), and a hand-written text COPY loop through
 * {@code CopyManager} (64 KiB writes), in one run. Time per row; the table is truncated before
 * every invocation; all contenders share one session.
 *
 * <p>Run: {@code java -jar perf-bench/target/benchmarks.jar PgBinaryCopyBenchmark -f 1 -wi 3 -i 5}
 * (needs the loopback PostgreSQL).
 */
@Fork(1)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class PgBinaryCopyBenchmark {

  static final int ROWS = 1_000_000;
  static final String INSERT = "INSERT INTO pk_bench9 (id, qty, total, ratio, price, weight, name,"
      + " city, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
  static final LocalDateTime BASE = LocalDateTime.of(2026, 1, 1, 0, 0);
  static final String[] CITIES = new String[100];

  static {
    for (int i = 0; i < CITIES.length; i++) {
      CITIES[i] = "city-" + i;
    }
  }

  static final ParameterBinder<Long> BINDER = (ps, id) -> {
    ps.setLong(1, id);
    ps.setInt(2, (int) (id % 1_000));
    ps.setLong(3, id * 7);
    ps.setDouble(4, id * 0.5);
    ps.setBigDecimal(5, BigDecimal.valueOf(id % 100_000, 2));
    ps.setBigDecimal(6, BigDecimal.valueOf(id * 13, 4));
    ps.setString(7, "name-" + id);
    ps.setString(8, CITIES[(int) (id % 100)]);
    ps.setObject(9, BASE.plusSeconds(id));
  };

  @State(Scope.Benchmark)
  public static class Db {
    /** logged: a plain table; unlogged: no WAL, so the rows' encoding is more of the cost. */
    @Param({"logged", "unlogged"})
    public String table;

    Connection connection;
    BatchWriter<Long> binary;
    BatchWriter<Long> text;

    @Setup(Level.Trial)
    public void open() throws SQLException {
      connection = Databases.open("postgres", "");
      DataSource shared = Databases.sharing(connection);
      try (Statement st = connection.createStatement()) {
        st.execute("DROP TABLE IF EXISTS pk_bench9");
        st.execute("CREATE " + (table.equals("unlogged") ? "UNLOGGED " : "") + "TABLE pk_bench9 (id INT8, qty INT4, total INT8, ratio FLOAT8,"
            + " price NUMERIC(12, 2), weight NUMERIC(18, 4), name TEXT, city VARCHAR(40),"
            + " at TIMESTAMP)");
      }
      binary = BatchWriter.builder(shared, INSERT, BINDER).build();
      text = BatchWriter.builder(shared, INSERT, BINDER).binaryCopy(false).build();
    }

    @Setup(Level.Invocation)
    public void empty() throws SQLException {
      connection.setAutoCommit(true);
      try (Statement st = connection.createStatement()) {
        st.execute("TRUNCATE TABLE pk_bench9");
      }
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
      try (Statement st = connection.createStatement()) {
        st.execute("DROP TABLE IF EXISTS pk_bench9");
      }
      connection.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long perfkitBinaryCopy(Db d) {
    BatchResult r = d.binary.write(LongStream.range(0, ROWS).boxed());
    if (r.path() != WritePath.POSTGRES_BINARY_COPY) {
      throw new IllegalStateException(r.path().toString());
    }
    return r.rowsWritten();
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long perfkitTextCopy(Db d) {
    BatchResult r = d.text.write(LongStream.range(0, ROWS).boxed());
    if (r.path() != WritePath.POSTGRES_COPY) {
      throw new IllegalStateException(r.path().toString());
    }
    return r.rowsWritten();
  }

  /** What a user writes by hand: text COPY rows formatted into a StringBuilder, 64 KiB writes. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long rawTextCopy(Db d) throws SQLException {
    Connection c = d.connection;
    c.setAutoCommit(false);
    CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY pk_bench9 (id, qty, "
        + "total, ratio, price, weight, name, city, at) FROM STDIN");
    StringBuilder text = new StringBuilder(1 << 17);
    for (long id = 0; id < ROWS; id++) {
      text.append(id).append('\t').append(id % 1_000).append('\t').append(id * 7).append('\t')
          .append(id * 0.5).append('\t').append(BigDecimal.valueOf(id % 100_000, 2).toPlainString())
          .append('\t').append(BigDecimal.valueOf(id * 13, 4).toPlainString()).append('\t')
          .append("name-").append(id).append('\t').append(CITIES[(int) (id % 100)]).append('\t')
          .append(BASE.plusSeconds(id)).append('\n');
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
}
