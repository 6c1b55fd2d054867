package io.github.perfkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The per-database bulk paths of {@link BatchWriter}: taken when they apply, exact, atomic. */
class BulkPathTest {

  record Row(long id, String text, Double amount, Boolean flag, LocalDateTime at, byte[] blob,
      BigDecimal price) {}

  static final List<Row> AWKWARD = List.of(
      new Row(1, "tab\there", 1.5, true, LocalDateTime.of(2026, 11, 24, 12, 0, 1),
          new byte[] {0, 1, (byte) 0xFF}, new BigDecimal("12.50")),
      new Row(2, "new\nline and \\backslash\\ and \r", -0.25, false,
          LocalDateTime.of(1999, 12, 31, 23, 59, 59), new byte[0], new BigDecimal("-1E+3")),
      new Row(3, null, null, null, null, null, null),
      new Row(4, "unicode: žluťoučký kůň, 東京, emoji \uD83D\uDE80, quote ' \" and \\N", 1e300,
          true, LocalDateTime.of(2000, 1, 1, 0, 0), "bytes".getBytes(StandardCharsets.UTF_8),
          new BigDecimal("0.000001")));

  static final ParameterBinder<Row> BINDER = (ps, r) -> {
    ps.setLong(1, r.id());
    ps.setString(2, r.text());
    if (r.amount() == null) {
      ps.setNull(3, Types.DOUBLE);
    } else {
      ps.setDouble(3, r.amount());
    }
    if (r.flag() == null) {
      ps.setNull(4, Types.BOOLEAN);
    } else {
      ps.setBoolean(4, r.flag());
    }
    ps.setTimestamp(5, r.at() == null ? null : Timestamp.valueOf(r.at()));
    ps.setBytes(6, r.blob());
    ps.setBigDecimal(7, r.price());
  };

  private static String ddl(String db, String table) {
    String blob = db.equals("postgres") ? "BYTEA" : "BLOB";
    String flag = "BOOLEAN";
    return "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, txt VARCHAR(200), amount DOUBLE"
        + (db.equals("postgres") ? " PRECISION" : "") + ", flag " + flag + ", ts TIMESTAMP, bin "
        + blob + ", price DECIMAL(20, 6))";
  }

  private static List<Row> readBack(Connection c, String table) throws Exception {
    List<Row> rows = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id, txt, amount, flag, ts, bin, price FROM "
            + table + " ORDER BY id")) {
      while (rs.next()) {
        double amount = rs.getDouble(3);
        Double a = rs.wasNull() ? null : amount;
        boolean flag = rs.getBoolean(4);
        Boolean f = rs.wasNull() ? null : flag;
        Timestamp at = rs.getTimestamp(5);
        BigDecimal price = rs.getBigDecimal(7);
        rows.add(new Row(rs.getLong(1), rs.getString(2), a, f,
            at == null ? null : at.toLocalDateTime(), rs.getBytes(6),
            price == null ? null : price.stripTrailingZeros()));
      }
    }
    return rows;
  }

  private static void assertSameRows(List<Row> actual) {
    assertThat(actual).hasSize(AWKWARD.size());
    for (int i = 0; i < actual.size(); i++) {
      Row a = actual.get(i);
      Row e = AWKWARD.get(i);
      assertThat(a.id()).isEqualTo(e.id());
      assertThat(a.text()).isEqualTo(e.text());
      assertThat(a.amount()).isEqualTo(e.amount());
      assertThat(a.flag()).isEqualTo(e.flag());
      assertThat(a.at()).isEqualTo(e.at());
      assertThat(a.blob()).isEqualTo(e.blob());
      assertThat(a.price() == null ? null : a.price().compareTo(e.price()))
          .isEqualTo(e.price() == null ? null : 0);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "postgres-text", "duckdb", "mariadb", "h2"})
  void awkwardValuesRoundTripOnEachDatabasesPath(String path) throws Exception {
    String db = path.equals("postgres-text") ? "postgres" : path; // text COPY: binary turned off
    DataSource ds = BatchWriterTest.dataSource(db);
    String table = "pkj_bulk_" + db;
    try (Connection keep = ds.getConnection(); Statement st = keep.createStatement()) {
      DataSource use = db.equals("duckdb") ? new BatchWriterTest.SingleConnectionDataSource(keep)
          : ds;
      st.execute("DROP TABLE IF EXISTS " + table);
      st.execute(ddl(db, table));
      BatchResult result = BatchWriter.builder(use, "INSERT INTO " + table
              + " (id, txt, amount, flag, ts, bin, price) VALUES (?, ?, ?, ?, ?, ?, ?)", BINDER)
          .chunkSize(2).binaryCopy(!path.equals("postgres-text")).build().write(AWKWARD);
      assertThat(result.rowsWritten()).isEqualTo(AWKWARD.size());
      assertThat(result.chunks()).isEqualTo(2);
      assertThat(result.path()).isEqualTo(switch (path) {
        case "postgres-text" -> WritePath.POSTGRES_COPY;
        case "postgres" -> WritePath.POSTGRES_BINARY_COPY; // every column has a binary encoding
        case "duckdb" -> WritePath.DUCKDB_APPENDER;
        default -> WritePath.JDBC_BATCH;
      });
      assertSameRows(readBack(keep, table));
      st.execute("DROP TABLE " + table);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "duckdb"})
  void everyPrimitiveSetterRoundTripsUnboxedOnTheBulkPaths(String db) throws Exception {
    DataSource ds = BatchWriterTest.dataSource(db);
    String table = "pkj_prim_" + db;
    long[] longs = {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE};
    try (Connection keep = ds.getConnection(); Statement st = keep.createStatement()) {
      DataSource use = db.equals("duckdb") ? new BatchWriterTest.SingleConnectionDataSource(keep)
          : ds;
      st.execute("DROP TABLE IF EXISTS " + table);
      st.execute("CREATE TABLE " + table + " (id INTEGER, l BIGINT, s SMALLINT, b "
          + (db.equals("duckdb") ? "TINYINT" : "SMALLINT") + ", f REAL, d DOUBLE"
          + (db.equals("postgres") ? " PRECISION" : "") + ", flag BOOLEAN)");
      BatchResult result = BatchWriter.<Integer>builder(use, "INSERT INTO " + table
          + " (id, l, s, b, f, d, flag) VALUES (?, ?, ?, ?, ?, ?, ?)", (ps, i) -> {
            ps.setInt(1, i == 0 ? Integer.MIN_VALUE : i);
            ps.setLong(2, longs[i]);
            ps.setShort(3, (short) (i == 0 ? Short.MIN_VALUE : -i));
            ps.setByte(4, (byte) (i == 0 ? Byte.MIN_VALUE : i));
            ps.setFloat(5, i == 0 ? 0.1f : -Float.MAX_VALUE / i);
            ps.setDouble(6, i == 0 ? 0.1 : Double.MIN_VALUE * i);
            ps.setBoolean(7, i % 2 == 0);
          }).build().write(List.of(0, 1, 2, 3));
      assertThat(result.path()).isNotEqualTo(WritePath.JDBC_BATCH);
      try (ResultSet rs = st.executeQuery("SELECT id, l, s, b, f, d, flag FROM " + table
          + " ORDER BY l")) {
        for (int i = 0; i < 4; i++) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt(1)).isEqualTo(i == 0 ? Integer.MIN_VALUE : i);
          assertThat(rs.getLong(2)).isEqualTo(longs[i]);
          assertThat(rs.getShort(3)).isEqualTo((short) (i == 0 ? Short.MIN_VALUE : -i));
          assertThat(rs.getByte(4)).isEqualTo((byte) (i == 0 ? Byte.MIN_VALUE : i));
          assertThat(rs.getFloat(5)).isEqualTo(i == 0 ? 0.1f : -Float.MAX_VALUE / i);
          assertThat(rs.getDouble(6)).isEqualTo(i == 0 ? 0.1 : Double.MIN_VALUE * i);
          assertThat(rs.getBoolean(7)).isEqualTo(i % 2 == 0);
        }
      }
      st.execute("DROP TABLE " + table);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "duckdb"})
  void statementsABulkPathCannotTakeKeepExecuteBatch(String db) throws Exception {
    DataSource ds = BatchWriterTest.dataSource(db);
    String table = "pkj_bulk_fallback_" + db;
    try (Connection keep = ds.getConnection(); Statement st = keep.createStatement()) {
      DataSource use = db.equals("duckdb") ? new BatchWriterTest.SingleConnectionDataSource(keep)
          : ds;
      st.execute("DROP TABLE IF EXISTS " + table);
      st.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v VARCHAR(20))");
      // an upsert
      BatchResult upsert = BatchWriter.<Long>builder(use, "INSERT INTO " + table
              + " (id, v) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET v = excluded.v",
              (ps, id) -> { ps.setLong(1, id); ps.setString(2, "u" + id); })
          .build().write(List.of(1L, 2L, 1L));
      assertThat(upsert.path()).isEqualTo(db.equals("postgres") ? WritePath.POSTGRES_COPY_UPSERT
          : WritePath.JDBC_BATCH);
      // a binder that needs more than plain setters
      BatchResult reader = BatchWriter.<Long>builder(use, "INSERT INTO " + table
              + " (id, v) VALUES (?, ?)",
              (ps, id) -> { ps.setLong(1, id); ps.setCharacterStream(2, new StringReader("r")); })
          .build().write(List.of(10L, 11L));
      assertThat(reader.path()).isEqualTo(WritePath.JDBC_BATCH);
      // bulk paths switched off
      BatchResult off = BatchWriter.<Long>builder(use, "INSERT INTO " + table
              + " (id, v) VALUES (?, ?)", (ps, id) -> { ps.setLong(1, id); ps.setString(2, "o"); })
          .bulkPaths(false).build().write(List.of(20L));
      assertThat(off.path()).isEqualTo(WritePath.JDBC_BATCH);
      // a subset of the columns: DuckDB's appender needs them all, COPY does not
      BatchResult subset = BatchWriter.<Long>builder(use, "INSERT INTO " + table
              + " (id) VALUES (?)", (ps, id) -> ps.setLong(1, id))
          .build().write(List.of(30L, 31L));
      assertThat(subset.path()).isEqualTo(db.equals("postgres") ? WritePath.POSTGRES_BINARY_COPY
          : WritePath.JDBC_BATCH);
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(7);
      }
      st.execute("DROP TABLE " + table);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "duckdb"})
  void perChunkCommitOnABulkPathKeepsTheChunksBeforeTheFailure(String db) throws Exception {
    DataSource ds = BatchWriterTest.dataSource(db);
    String table = "pkj_bulk_chunks_" + db;
    try (Connection keep = ds.getConnection(); Statement st = keep.createStatement()) {
      DataSource use = db.equals("duckdb") ? new BatchWriterTest.SingleConnectionDataSource(keep)
          : ds;
      st.execute("DROP TABLE IF EXISTS " + table);
      st.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY)");
      BatchWriter<Long> writer = BatchWriter.<Long>builder(use, "INSERT INTO " + table
          + " (id) VALUES (?)", (ps, id) -> ps.setLong(1, id)).chunkSize(10).commitPerChunk(true)
          .build();
      // row 25 repeats row 3: chunks 0 and 1 stay committed, chunk 2 is rolled back
      assertThatThrownBy(() -> writer.write(LongStream.range(0, 40).map(i -> i == 25 ? 3 : i)
          .boxed()))
          .isInstanceOfSatisfying(BatchWriteException.class, e -> {
            assertThat(e.chunkIndex()).isEqualTo(2);
            assertThat(e.rowsCommitted()).isEqualTo(20);
          });
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(20);
      }
      st.execute("DROP TABLE " + table);
    }
  }

  @Test
  void aCopyFailureNamesTheExactRow() throws Exception {
    DataSource ds = BatchWriterTest.dataSource("postgres");
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pkj_bulk_row");
      st.execute("CREATE TABLE pkj_bulk_row (id BIGINT PRIMARY KEY)");
      BatchWriter<Long> writer = BatchWriter.<Long>builder(ds, "INSERT INTO pkj_bulk_row (id) "
          + "VALUES (?)", (ps, id) -> ps.setLong(1, id)).chunkSize(1_000).build();
      assertThatThrownBy(() -> writer.write(LongStream.range(0, 5_000)
          .map(i -> i == 3_217 ? 17 : i).boxed()))
          .isInstanceOfSatisfying(BatchWriteException.class, e -> {
            assertThat(e.rowIndex()).isEqualTo(3_217);
            assertThat(e.chunkIndex()).isEqualTo(3);
          });
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM pkj_bulk_row")) {
        rs.next();
        assertThat(rs.getLong(1)).isZero();
      }
      st.execute("DROP TABLE pkj_bulk_row");
    }
  }

  /**
   * Child entry point: writes 10 million generated rows into an in-memory DuckDB through the
   * appender path and prints the count.
   *
   * @param args unused
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE ten_million (id BIGINT, v VARCHAR)");
      BatchResult r = BatchWriter.<Long>builder(new BatchWriterTest.SingleConnectionDataSource(c),
              "INSERT INTO ten_million (id, v) VALUES (?, ?)",
              (ps, id) -> { ps.setLong(1, id); ps.setString(2, "row-" + id + "-padding-padding"); })
          .chunkSize(10_000).build()
          .write(LongStream.range(0, 10_000_000).boxed());
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*), SUM(id) FROM ten_million")) {
        rs.next();
        System.out.println("PATH " + r.path() + " ROWS " + rs.getLong(1) + " SUM " + rs.getLong(2));
      }
    }
  }

  @Test
  void tenMillionLazyRowsPassThroughInFlatMemory() throws Exception {
    // 10M rows of about 40 bytes would need far more than 32 MiB of heap if anything collected
    // them; the writer pulls them one chunk at a time (DuckDB keeps the table off-heap)
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator
        + "java";
    Process p = new ProcessBuilder(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"),
        BulkPathTest.class.getName()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("PATH DUCKDB_APPENDER ROWS 10000000 SUM 49999995000000");
  }
}
