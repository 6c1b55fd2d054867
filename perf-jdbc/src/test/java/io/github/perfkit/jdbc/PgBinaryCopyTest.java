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
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PostgreSQL binary COPY ({@link WritePath#POSTGRES_BINARY_COPY}): chosen when every column's type
 * has a binary encoding, every type round-trips to exactly what text COPY stores, and failures keep
 * the text path's guarantees (nothing left behind, the exact row named).
 */
class PgBinaryCopyTest {

  static final String COLUMNS = "id, i2, i4, i8, f4, f8, b, t, vc, by, n, nn, d, ts, tz, u";
  static final String DDL = " (id INT8 PRIMARY KEY, i2 INT2, i4 INT4, i8 INT8, f4 FLOAT4,"
      + " f8 FLOAT8, b BOOL, t TEXT, vc VARCHAR(40), by BYTEA, n NUMERIC(20, 6), nn NUMERIC,"
      + " d DATE, ts TIMESTAMP, tz TIMESTAMPTZ, u UUID)";

  /** One row of every type; {@code null} fields are sent as SQL NULL. */
  record Row(long id, Short i2, Integer i4, Long i8, Float f4, Double f8, Boolean b, String t,
      String vc, byte[] by, Object n, Object nn, Object d, Object ts, Object tz, Object u) {}

  static final List<Row> ROWS = List.of(
      new Row(1, (short) -1, -2, -3L, -1.5f, -2.25, true, "", "", new byte[0],
          new BigDecimal("-12.345678"), new BigDecimal("-0.000000001"), LocalDate.of(1999, 12, 31),
          LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000),
          OffsetDateTime.of(2026, 3, 29, 1, 30, 0, 0, ZoneOffset.ofHoursMinutes(5, 30)),
          UUID.fromString("00000000-0000-0000-0000-000000000000")),
      new Row(2, Short.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE, 1.25e-3f,
          -Double.MAX_VALUE, false, "žluťoučký kůň, 東京, emoji \uD83D\uDE80, tab\t nl\n \\N",
          "ünïcødé ✓", new byte[] {0, 1, (byte) 0xFF, '\\', '\n'},
          new BigDecimal("99999999999999.999999"), new BigDecimal("123456789012345678901234567890"
          + ".123456789012345678901234567890"), java.sql.Date.valueOf("1970-01-01"),
          Timestamp.valueOf("2000-01-01 00:00:00.000001"),
          OffsetDateTime.of(2026, 10, 25, 2, 30, 0, 0, ZoneOffset.ofHoursMinutes(-3, -30)),
          "6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
      new Row(3, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
          null),
      new Row(4, Short.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, Float.MAX_VALUE,
          Double.NaN, true, "x".repeat(100_000), "forty characters exactly............!!!",
          new byte[200_000], 0L, Double.POSITIVE_INFINITY, LocalDate.of(4000, 2, 29),
          LocalDateTime.of(1900, 1, 1, 0, 0, 0, 1_600), Instant.parse("1969-07-20T20:17:40Z"),
          UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff")),
      new Row(5, (short) 0, 0, 0L, -0.0f, Double.NEGATIVE_INFINITY, false, "'quote' \"dq\"",
          "a", "bytes".getBytes(StandardCharsets.UTF_8), new BigDecimal("-1E+3"),
          new BigDecimal("1E-20"), LocalDate.of(2000, 1, 1), OffsetDateTime.of(2026, 1, 1, 12, 0,
          0, 0, ZoneOffset.ofHours(-8)), LocalDateTime.of(2026, 6, 1, 12, 0),
          UUID.randomUUID()),
      new Row(6, (short) 7, 8, 9L, 1e-3f, 1e300, true, "-42", "0", new byte[] {7},
          12.5, "-987654.321", LocalDate.of(1, 1, 1), Instant.parse("2038-01-19T03:14:08Z"),
          Timestamp.valueOf("2026-12-02 19:00:00.1234567"), UUID.randomUUID()));

  static final ParameterBinder<Row> BINDER = (ps, r) -> {
    ps.setLong(1, r.id());
    if (r.i2() == null) {
      ps.setNull(2, Types.SMALLINT);
      ps.setNull(3, Types.INTEGER);
      ps.setNull(4, Types.BIGINT);
      ps.setNull(5, Types.REAL);
      ps.setNull(6, Types.DOUBLE);
      ps.setNull(7, Types.BOOLEAN);
    } else {
      ps.setShort(2, r.i2());
      ps.setInt(3, r.i4());
      ps.setLong(4, r.i8());
      ps.setFloat(5, r.f4());
      ps.setDouble(6, r.f8());
      ps.setBoolean(7, r.b());
    }
    ps.setString(8, r.t());
    ps.setString(9, r.vc());
    ps.setBytes(10, r.by());
    ps.setObject(11, r.n());
    ps.setObject(12, r.nn());
    ps.setObject(13, r.d());
    ps.setObject(14, r.ts());
    ps.setObject(15, r.tz());
    ps.setObject(16, r.u());
  };

  static DataSource pg() {
    return BatchWriterTest.dataSource("postgres");
  }

  private static long count(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void everyTypeRoundTripsThroughBinaryCopyToWhatTextCopyStores() throws Exception {
    DataSource ds = pg();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pkj_bin_a");
      st.execute("DROP TABLE IF EXISTS pkj_bin_b");
      st.execute("CREATE TABLE pkj_bin_a" + DDL);
      st.execute("CREATE TABLE pkj_bin_b" + DDL);
      BatchResult binary = BatchWriter.builder(ds, "INSERT INTO pkj_bin_a (" + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", BINDER).chunkSize(4)
          .build().write(ROWS);
      BatchResult text = BatchWriter.builder(ds, "INSERT INTO pkj_bin_b (" + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", BINDER).chunkSize(4)
          .binaryCopy(false).build().write(ROWS);
      assertThat(binary.path()).isEqualTo(WritePath.POSTGRES_BINARY_COPY);
      assertThat(text.path()).isEqualTo(WritePath.POSTGRES_COPY);
      assertThat(binary.rowsWritten()).isEqualTo(ROWS.size());
      assertThat(binary.chunks()).isEqualTo(2);
      // the text path is the oracle: every value equal (IS NOT DISTINCT FROM: NULL = NULL, NaN = NaN)
      for (String col : COLUMNS.split(", ")) {
        assertThat(count(st, "SELECT COUNT(*) FROM pkj_bin_a a JOIN pkj_bin_b b USING (id) WHERE "
            + "a." + col + " IS NOT DISTINCT FROM b." + col)).as(col).isEqualTo(ROWS.size());
      }
      // and exact values, read back independently of either path
      try (ResultSet rs = st.executeQuery("SELECT " + COLUMNS + ", n::text, nn::text, tz, "
          + "extract(epoch from tz)::numeric FROM pkj_bin_a ORDER BY id")) {
        rs.next(); // row 1
        assertThat(rs.getShort("i2")).isEqualTo((short) -1);
        assertThat(rs.getFloat("f4")).isEqualTo(-1.5f);
        assertThat(rs.getString("t")).isEmpty();
        assertThat(rs.getString("vc")).isEmpty();
        assertThat(rs.getBytes("by")).isEmpty();
        assertThat(rs.getString(17)).isEqualTo("-12.345678");
        assertThat(rs.getString(18)).isEqualTo("-0.000000001");
        assertThat(rs.getObject("d", LocalDate.class)).isEqualTo(LocalDate.of(1999, 12, 31));
        assertThat(rs.getObject("ts", LocalDateTime.class))
            .isEqualTo(LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000));
        assertThat(rs.getObject("tz", OffsetDateTime.class).toInstant())
            .isEqualTo(Instant.parse("2026-03-28T20:00:00Z"));
        rs.next(); // row 2
        assertThat(rs.getLong("i8")).isEqualTo(Long.MIN_VALUE);
        assertThat(rs.getInt("i4")).isEqualTo(Integer.MIN_VALUE);
        assertThat(rs.getDouble("f8")).isEqualTo(-Double.MAX_VALUE);
        assertThat(rs.getBoolean("b")).isFalse();
        assertThat(rs.getString("t"))
            .isEqualTo("žluťoučký kůň, 東京, emoji \uD83D\uDE80, tab\t nl\n \\N");
        assertThat(rs.getString("vc")).isEqualTo("ünïcødé ✓");
        assertThat(rs.getBytes("by")).containsExactly(0, 1, 0xFF, '\\', '\n');
        assertThat(rs.getString(17)).isEqualTo("99999999999999.999999");
        assertThat(rs.getString(18)).isEqualTo("123456789012345678901234567890"
            + ".123456789012345678901234567890");
        assertThat(rs.getObject("tz", OffsetDateTime.class).toInstant())
            .isEqualTo(Instant.parse("2026-10-25T06:00:00Z"));
        assertThat(rs.getObject("u", UUID.class))
            .isEqualTo(UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"));
        rs.next(); // row 3: all NULL
        for (int col = 2; col <= 16; col++) {
          assertThat(rs.getObject(col)).as("column %d", col).isNull();
        }
        rs.next(); // row 4
        assertThat(rs.getString("t")).hasSize(100_000);
        assertThat(rs.getBytes("by")).hasSize(200_000);
        assertThat(rs.getDouble("f8")).isNaN();
        assertThat(rs.getString(17)).isEqualTo("0.000000");
        assertThat(rs.getString(18)).isEqualTo("Infinity");
        assertThat(rs.getObject("ts", LocalDateTime.class))
            .isEqualTo(LocalDateTime.of(1900, 1, 1, 0, 0, 0, 2_000)); // 1.5 us rounds half up
        assertThat(rs.getBigDecimal(20)).isEqualByComparingTo("-14182940");
        rs.next(); // row 5
        assertThat(rs.getString(17)).isEqualTo("-1000.000000");
        assertThat(rs.getString(18)).isEqualTo("0.00000000000000000001");
        assertThat(rs.getObject("ts", LocalDateTime.class))
            .isEqualTo(LocalDateTime.of(2026, 1, 1, 12, 0)); // the offset of a timestamp is ignored
        rs.next(); // row 6
        assertThat(rs.getString(17)).isEqualTo("12.500000");
        assertThat(rs.getString(18)).isEqualTo("-987654.321");
        assertThat(rs.getObject("d", LocalDate.class)).isEqualTo(LocalDate.of(1, 1, 1));
        assertThat(rs.next()).isFalse();
      }
      st.execute("DROP TABLE pkj_bin_a");
      st.execute("DROP TABLE pkj_bin_b");
    }
  }

  @Test
  void aColumnWithoutABinaryEncodingOrAFirstValueWithoutOneKeepsTextCopy() throws Exception {
    DataSource ds = pg();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pkj_bin_text");
      st.execute("CREATE TABLE pkj_bin_text (id INT8, j JSONB, s TEXT)");
      BatchResult json = BatchWriter.<Long>builder(ds, "INSERT INTO pkj_bin_text (id, j) VALUES "
          + "(?, ?)", (ps, id) -> { ps.setLong(1, id); ps.setString(2, "{\"k\": " + id + "}"); })
          .build().write(List.of(1L, 2L));
      assertThat(json.path()).isEqualTo(WritePath.POSTGRES_COPY);
      // a LocalDate for a text column: text COPY formats it, binary has no encoding for it
      BatchResult date = BatchWriter.<Long>builder(ds, "INSERT INTO pkj_bin_text (id, s) VALUES "
          + "(?, ?)", (ps, id) -> { ps.setLong(1, id); ps.setObject(2, LocalDate.of(2026, 1, 1)); })
          .build().write(List.of(3L));
      assertThat(date.path()).isEqualTo(WritePath.POSTGRES_COPY);
      BatchResult plain = BatchWriter.<Long>builder(ds, "INSERT INTO pkj_bin_text (id, s) VALUES "
          + "(?, ?)", (ps, id) -> { ps.setLong(1, id); ps.setString(2, "s"); })
          .build().write(List.of(4L));
      assertThat(plain.path()).isEqualTo(WritePath.POSTGRES_BINARY_COPY);
      assertThat(count(st, "SELECT COUNT(*) FROM pkj_bin_text WHERE j->>'k' = id::text "
          + "OR s IN ('2026-01-01', 's')")).isEqualTo(4);
      st.execute("DROP TABLE pkj_bin_text");
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aRejectedRowIsNamedExactlyAndLeavesNoRowOnBothFormats(boolean binary) throws Exception {
    DataSource ds = pg();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pkj_bin_row");
      st.execute("CREATE TABLE pkj_bin_row (id INT8 PRIMARY KEY, v VARCHAR(10))");
      BatchWriter<Long> writer = BatchWriter.<Long>builder(ds, "INSERT INTO pkj_bin_row (id, v) "
          + "VALUES (?, ?)", (ps, id) -> { ps.setLong(1, id); ps.setString(2, "v" + (id % 100)); })
          .chunkSize(1_000).binaryCopy(binary).build();
      // a duplicate key, found by the server when the COPY ends
      assertThatThrownBy(() -> writer.write(LongStream.range(0, 5_000)
          .map(i -> i == 3_217 ? 17 : i).boxed()))
          .isInstanceOfSatisfying(BatchWriteException.class, e -> {
            assertThat(e.kind()).isEqualTo(BatchWriteException.Kind.ROW);
            assertThat(e.rowIndex()).isEqualTo(3_217);
            assertThat(e.chunkIndex()).isEqualTo(3);
            assertThat(e.rowsCommitted()).isZero();
          });
      assertThat(count(st, "SELECT COUNT(*) FROM pkj_bin_row")).isZero();
      // a value too long for varchar(10): the server checks the typmod in both formats
      BatchWriter<Long> longText = BatchWriter.<Long>builder(ds, "INSERT INTO pkj_bin_row (id, v)"
          + " VALUES (?, ?)", (ps, id) -> {
            ps.setLong(1, id);
            ps.setString(2, id == 2_500 ? "much too long" : "ok");
          }).chunkSize(1_000).binaryCopy(binary).build();
      assertThatThrownBy(() -> longText.write(LongStream.range(0, 3_000).boxed()))
          .isInstanceOfSatisfying(BatchWriteException.class, e -> {
            assertThat(e.rowIndex()).isEqualTo(2_500);
            assertThat(e.getMessage()).doesNotContain("much too long");
          });
      assertThat(count(st, "SELECT COUNT(*) FROM pkj_bin_row")).isZero();
      st.execute("DROP TABLE pkj_bin_row");
    }
  }

  @Test
  void aLaterValueBinaryCannotEncodeFailsItsRowWithoutTheValue() throws Exception {
    DataSource ds = pg();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pkj_bin_bad");
      st.execute("CREATE TABLE pkj_bin_bad (id INT8, small INT2)");
      BatchWriter<Long> writer = BatchWriter.<Long>builder(ds, "INSERT INTO pkj_bin_bad (id, small)"
          + " VALUES (?, ?)", (ps, id) -> { ps.setLong(1, id); ps.setLong(2, id == 70 ? 40_000 : id); })
          .chunkSize(50).build();
      assertThatThrownBy(() -> writer.write(LongStream.range(0, 100).boxed()))
          .isInstanceOfSatisfying(BatchWriteException.class, e -> {
            assertThat(e.kind()).isEqualTo(BatchWriteException.Kind.ROW);
            assertThat(e.rowIndex()).isEqualTo(70);
            assertThat(e.chunkIndex()).isEqualTo(1);
            assertThat(e.getCause()).hasMessageContaining("parameter 2")
                .hasMessageNotContaining("40000");
          });
      assertThat(count(st, "SELECT COUNT(*) FROM pkj_bin_bad")).isZero();
      st.execute("DROP TABLE pkj_bin_bad");
    }
  }

  @Test
  void perChunkCommitOnBinaryCopyKeepsTheChunksBeforeTheFailure() throws Exception {
    DataSource ds = pg();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pkj_bin_chunks");
      st.execute("CREATE TABLE pkj_bin_chunks (id INT8 PRIMARY KEY)");
      BatchWriter<Long> writer = BatchWriter.<Long>builder(ds, "INSERT INTO pkj_bin_chunks (id) "
          + "VALUES (?)", (ps, id) -> ps.setLong(1, id)).chunkSize(10).commitPerChunk(true).build();
      assertThat(writer.write(List.of(100L)).path()).isEqualTo(WritePath.POSTGRES_BINARY_COPY);
      assertThatThrownBy(() -> writer.write(LongStream.range(0, 40).map(i -> i == 25 ? 3 : i)
          .boxed()))
          .isInstanceOfSatisfying(BatchWriteException.class, e -> {
            assertThat(e.chunkIndex()).isEqualTo(2);
            assertThat(e.rowIndex()).isEqualTo(25);
            assertThat(e.rowsCommitted()).isEqualTo(20);
          });
      assertThat(count(st, "SELECT COUNT(*) FROM pkj_bin_chunks")).isEqualTo(21);
      st.execute("DROP TABLE pkj_bin_chunks");
    }
  }

  /**
   * Child entry point: writes 10 million generated rows into PostgreSQL through binary COPY and
   * prints the path and the count.
   *
   * @param args url, user, password
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    var ds = new BatchWriterTest.UrlDataSource(args[0], args[1], args.length > 2 ? args[2] : "");
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pkj_bin_ten_million");
      st.execute("CREATE UNLOGGED TABLE pkj_bin_ten_million (id INT8, v TEXT, n NUMERIC(12, 2))");
      BatchResult r = BatchWriter.<Long>builder(ds,
              "INSERT INTO pkj_bin_ten_million (id, v, n) VALUES (?, ?, ?)", (ps, id) -> {
                ps.setLong(1, id);
                ps.setString(2, "row-" + id + "-padding-padding");
                ps.setBigDecimal(3, BigDecimal.valueOf(id, 2));
              })
          .build().write(LongStream.range(0, 10_000_000).boxed());
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*), SUM(id) FROM pkj_bin_ten_million")) {
        rs.next();
        System.out.println("PATH " + r.path() + " ROWS " + rs.getLong(1) + " SUM " + rs.getLong(2));
      }
      st.execute("DROP TABLE pkj_bin_ten_million");
    }
  }

  @Test
  void tenMillionLazyRowsPassThroughBinaryCopyInFlatMemory() throws Exception {
    var pg = LoopbackServices.postgres();
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator
        + "java";
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx32m", "-cp",
        System.getProperty("java.class.path"), PgBinaryCopyTest.class.getName(), pg.jdbcUrl(),
        pg.user()));
    if (pg.password() != null) {
      cmd.add(pg.password());
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("PATH POSTGRES_BINARY_COPY ROWS 10000000 SUM 49999995000000");
  }
}
