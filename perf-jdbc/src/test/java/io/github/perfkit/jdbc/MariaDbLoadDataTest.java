package io.github.perfkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.testkit.LoopbackServices;
import java.io.File;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * MariaDB {@code LOAD DATA LOCAL INFILE} ({@link WritePath#MARIADB_LOAD_DATA}) when the connection
 * allows it: every value type and NULL escaped to exactly what {@code executeBatch} stores (the
 * oracle), and the warnings LOCAL turns errors into fail the write with nothing left behind.
 */
class MariaDbLoadDataTest {

  static DataSource infile() {
    var s = LoopbackServices.mariadb();
    return new BatchWriterTest.UrlDataSource(s.jdbcUrl() + (s.jdbcUrl().contains("?") ? "&" : "?")
        + "allowLocalInfile=true", s.user(), s.password());
  }

  static final String DDL = " (id BIGINT PRIMARY KEY, txt VARCHAR(200), amount DOUBLE, f FLOAT,"
      + " flag BOOLEAN, ts DATETIME(6), d DATE, t TIME, price DECIMAL(20, 6), u CHAR(36), n INT)";
  static final String INSERT = " (id, txt, amount, f, flag, ts, d, t, price, u, n) VALUES"
      + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  static final String[] TEXTS = {"", "tab\there", "new\nline \\backslash\\ and \r cr",
      "\\N", "N", "žluťoučký kůň, 東京, emoji \uD83D\uDE80, quote ' \" `", "nul\0byte", null,
      "trailing backslash \\"};

  static final ParameterBinder<Long> BINDER = (ps, i) -> {
    int k = (int) (i % TEXTS.length);
    ps.setLong(1, i);
    ps.setString(2, TEXTS[k]);
    if (k == 7) {
      for (int p = 3; p <= 11; p++) {
        ps.setNull(p, Types.OTHER);
      }
      return;
    }
    ps.setDouble(3, k % 2 == 0 ? -1.5e300 / (k + 1) : 0.1 * k);
    ps.setFloat(4, -0.25f * k);
    ps.setBoolean(5, k % 2 == 0);
    ps.setObject(6, k % 3 == 0 ? Timestamp.valueOf("2026-11-24 12:00:00.123456")
        : LocalDateTime.of(1999, 12, 31, 23, k, 0, k * 1_000));
    ps.setObject(7, k % 2 == 0 ? LocalDate.of(2000, 2, 29) : java.sql.Date.valueOf("1970-01-01"));
    ps.setObject(8, LocalTime.of(k, 0));
    ps.setBigDecimal(9, new BigDecimal(k % 2 == 0 ? "-12.345678" : "99999999999999.5"));
    ps.setObject(10, new UUID(k, -k));
    ps.setInt(11, k == 1 ? Integer.MIN_VALUE : -k);
  };

  private static long count(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void everyValueTypeAndNullLoadToWhatExecuteBatchStores() throws Exception {
    DataSource ds = infile();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pkj_ld_a");
      st.execute("DROP TABLE IF EXISTS pkj_ld_b");
      st.execute("CREATE TABLE pkj_ld_a" + DDL);
      st.execute("CREATE TABLE pkj_ld_b" + DDL);
      BatchResult load = BatchWriter.builder(ds, "INSERT INTO pkj_ld_a" + INSERT, BINDER)
          .chunkSize(7).build().write(LongStream.range(0, 30).boxed());
      BatchResult batch = BatchWriter.builder(ds, "INSERT INTO pkj_ld_b" + INSERT, BINDER)
          .chunkSize(7).bulkPaths(false).build().write(LongStream.range(0, 30).boxed());
      assertThat(load.path()).isEqualTo(WritePath.MARIADB_LOAD_DATA);
      assertThat(batch.path()).isEqualTo(WritePath.JDBC_BATCH);
      assertThat(load.rowsWritten()).isEqualTo(30);
      assertThat(load.chunks()).isEqualTo(5);
      for (String col : "id, txt, amount, f, flag, ts, d, t, price, u, n".split(", ")) {
        assertThat(count(st, "SELECT COUNT(*) FROM pkj_ld_a a JOIN pkj_ld_b b USING (id) WHERE "
            + "a." + col + " <=> b." + col)).as(col).isEqualTo(30);
      }
      try (ResultSet rs = st.executeQuery("SELECT txt, ts, n FROM pkj_ld_a WHERE id IN (3, 6, 7)"
          + " ORDER BY id")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("\\N"); // the text, not NULL
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("nul\0byte");
        assertThat(rs.getObject(2, LocalDateTime.class))
            .isEqualTo(LocalDateTime.of(2026, 11, 24, 12, 0, 0, 123_456_000));
        rs.next();
        assertThat(rs.getString(1)).isNull();
        assertThat(rs.getObject(3)).isNull();
      }
      st.execute("DROP TABLE pkj_ld_a");
      st.execute("DROP TABLE pkj_ld_b");
    }
  }

  @Test
  void aDuplicateKeyLocalWouldSkipFailsTheWriteAndLeavesNoRow() throws Exception {
    DataSource ds = infile();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pkj_ld_dup");
      st.execute("CREATE TABLE pkj_ld_dup (id BIGINT PRIMARY KEY, v VARCHAR(10))");
      BatchWriter<Long> writer = BatchWriter.<Long>builder(ds, "INSERT INTO pkj_ld_dup (id, v) "
          + "VALUES (?, ?)", (ps, id) -> { ps.setLong(1, id); ps.setString(2, "v"); })
          .chunkSize(1_000).build();
      assertThatThrownBy(() -> writer.write(LongStream.range(0, 5_000)
          .map(i -> i == 3_217 ? 17 : i).boxed()))
          .isInstanceOfSatisfying(BatchWriteException.class, e -> {
            assertThat(e.kind()).isEqualTo(BatchWriteException.Kind.CHUNK);
            assertThat(e.chunkIndex()).isEqualTo(3);
            assertThat(e.rowsCommitted()).isZero();
            assertThat(e.getMessage()).doesNotContain("'17'");
          });
      assertThat(count(st, "SELECT COUNT(*) FROM pkj_ld_dup")).isZero();
      st.execute("DROP TABLE pkj_ld_dup");
    }
  }

  @Test
  void aValueStrictModeRejectsIsNamedByRowAndLeavesNoRow() throws Exception {
    DataSource ds = infile();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pkj_ld_row");
      st.execute("CREATE TABLE pkj_ld_row (id BIGINT PRIMARY KEY, v VARCHAR(10))");
      BatchWriter<Long> writer = BatchWriter.<Long>builder(ds, "INSERT INTO pkj_ld_row (id, v) "
          + "VALUES (?, ?)", (ps, id) -> {
            ps.setLong(1, id);
            ps.setString(2, id == 2_345 ? "much too long for it" : "ok");
          }).chunkSize(1_000).build();
      assertThatThrownBy(() -> writer.write(LongStream.range(0, 3_000).boxed()))
          .isInstanceOfSatisfying(BatchWriteException.class, e -> {
            assertThat(e.kind()).isEqualTo(BatchWriteException.Kind.ROW);
            assertThat(e.rowIndex()).isEqualTo(2_345);
            assertThat(e.chunkIndex()).isEqualTo(2);
            assertThat(e.getMessage()).doesNotContain("much too long");
          });
      assertThat(count(st, "SELECT COUNT(*) FROM pkj_ld_row")).isZero();
      st.execute("DROP TABLE pkj_ld_row");
    }
  }

  @Test
  void binaryValuesOrAConnectionWithoutLocalInfileKeepBulkStatements() throws Exception {
    DataSource ds = infile();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pkj_ld_keep");
      st.execute("CREATE TABLE pkj_ld_keep (id BIGINT, b BLOB)");
      BatchResult blob = BatchWriter.<Long>builder(ds, "INSERT INTO pkj_ld_keep (id, b) VALUES "
          + "(?, ?)", (ps, id) -> { ps.setLong(1, id); ps.setBytes(2, new byte[] {9, '\t'}); })
          .build().write(List.of(1L));
      assertThat(blob.path()).isEqualTo(WritePath.JDBC_BATCH);
      var m = LoopbackServices.mariadb();
      DataSource off = new BatchWriterTest.UrlDataSource(m.jdbcUrl() + (m.jdbcUrl().contains("?")
          ? "&" : "?") + "allowLocalInfile=false", m.user(), m.password());
      BatchResult plain = BatchWriter.<Long>builder(off,
          "INSERT INTO pkj_ld_keep (id) VALUES (?)", (ps, id) -> ps.setLong(1, id))
          .build().write(List.of(2L));
      assertThat(plain.path()).isEqualTo(WritePath.JDBC_BATCH);
      assertThat(count(st, "SELECT COUNT(*) FROM pkj_ld_keep")).isEqualTo(2);
      st.execute("DROP TABLE pkj_ld_keep");
    }
  }

  /**
   * Child entry point: loads 10 million generated rows into MariaDB through LOAD DATA and prints
   * the path and the count.
   *
   * @param args url, user, password
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    var ds = new BatchWriterTest.UrlDataSource(args[0], args[1], args.length > 2 ? args[2] : "");
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pkj_ld_ten_million");
      st.execute("CREATE TABLE pkj_ld_ten_million (id BIGINT, v VARCHAR(40))");
      BatchResult r = BatchWriter.<Long>builder(ds,
              "INSERT INTO pkj_ld_ten_million (id, v) VALUES (?, ?)", (ps, id) -> {
                ps.setLong(1, id);
                ps.setString(2, "row-" + id + "-padding-padding");
              })
          .build().write(LongStream.range(0, 10_000_000).boxed());
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*), SUM(id) FROM pkj_ld_ten_million")) {
        rs.next();
        System.out.println("PATH " + r.path() + " ROWS " + rs.getLong(1) + " SUM " + rs.getLong(2));
      }
      st.execute("DROP TABLE pkj_ld_ten_million");
    }
  }

  @Test
  void tenMillionLazyRowsLoadThroughLoadDataInFlatMemory() throws Exception {
    var s = LoopbackServices.mariadb();
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator
        + "java";
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx32m", "-cp",
        System.getProperty("java.class.path"), MariaDbLoadDataTest.class.getName(),
        s.jdbcUrl() + (s.jdbcUrl().contains("?") ? "&" : "?") + "allowLocalInfile=true",
        s.user()));
    if (s.password() != null) {
      cmd.add(s.password());
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("PATH MARIADB_LOAD_DATA ROWS 10000000 SUM 49999995000000");
  }
}
