package io.github.perfkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.testkit.LoopbackServices;
import java.io.File;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MariaDB upserts ({@code INSERT ... VALUES (?, ...) ON DUPLICATE KEY UPDATE ...}) as multi-row
 * statements ({@link WritePath#MARIADB_MULTI_ROW_UPSERT}) against the real server: the same rows as
 * {@code executeBatch} of the same statement (the oracle, {@code bulkPaths(false)}), in far fewer
 * statements, all-or-nothing, the chunk blamed, under {@code max_allowed_packet}, lazy.
 */
class MariaDbUpsertTest {

  static DataSource mariadb() {
    return BatchWriterTest.dataSource("mariadb");
  }

  static final String COLUMNS = "id, i, dec_, d, s, dt, ts, b, n";
  static final String DDL = " (id BIGINT PRIMARY KEY, i INT, dec_ DECIMAL(20, 6), d DOUBLE,"
      + " s VARCHAR(200), dt DATE, ts DATETIME(6), b BLOB, n BIGINT NOT NULL) ENGINE=InnoDB";
  /** n is order-dependent: a key applied twice in another order ends with another n. */
  static final String CLAUSE = "ON DUPLICATE KEY UPDATE i = VALUES(i), dec_ = VALUES(dec_),"
      + " d = VALUES(d), s = VALUES(s), dt = VALUES(dt), ts = VALUES(ts), b = VALUES(b),"
      + " n = n * 10 + VALUES(n)";

  static final String[] TEXTS = {"", "it's a \"quote\"", "back\\slash \\' \\\\", "žluťoučký kůň",
      "東京 emoji \uD83D\uDE80", "tab\tnew\nline\r", "\\N", "nul\0byte", "trailing \\"};

  /** Rows 0..999 are ids 0..999; rows 1000.. repeat ids 900.. twice each (in one chunk or two). */
  static long id(long i) {
    return i < 1_000 ? i : (i - 1_000) / 2 + 900;
  }

  static final ParameterBinder<Long> BINDER = (ps, i) -> {
    int k = (int) (i % TEXTS.length);
    ps.setLong(1, id(i));
    ps.setLong(9, i % 10);
    if (i % 11 == 5) { // every nullable column NULL
      for (int p = 2; p <= 8; p++) {
        ps.setNull(p, p == 8 ? Types.BLOB : Types.VARCHAR);
      }
      return;
    }
    ps.setInt(2, k == 1 ? Integer.MIN_VALUE : (int) (long) i * (k % 2 == 0 ? 1 : -1));
    ps.setBigDecimal(3, new BigDecimal(k % 2 == 0 ? "-12.345678" : "9999999999999.5")
        .add(BigDecimal.valueOf(i)));
    ps.setDouble(4, k % 3 == 0 ? -1.5e300 / (k + 1) : 0.1 * i);
    ps.setString(5, TEXTS[k] + i);
    ps.setObject(6, k % 2 == 0 ? LocalDate.of(2000, 2, 29).plusDays(i)
        : java.sql.Date.valueOf("1970-01-01"));
    ps.setObject(7, k % 3 == 0 ? Timestamp.valueOf("2026-11-24 12:00:00.123456")
        : LocalDateTime.of(1999, 12, 31, 23, k, 0, k * 1_000 + 1_000));
    byte[] b = new byte[(int) (i % 40)];
    for (int j = 0; j < b.length; j++) {
      b[j] = (byte) (i * 31 + j * 7); // every byte value, 0, quote and backslash among them
    }
    ps.setBytes(8, b);
  };

  static void reset(Statement st, String table) throws Exception {
    st.execute("DROP TABLE IF EXISTS " + table);
    st.execute("CREATE TABLE " + table + DDL);
    // 500 existing rows 0, 2, ... 998: half of the ids 0..999 conflict
    st.execute("INSERT INTO " + table + " (" + COLUMNS + ") SELECT seq * 2, -1, 1.5, 2.5, 'old',"
        + " '2020-01-01', '2020-01-01 00:00:00', x'00ff', 1 FROM seq_0_to_499");
  }

  static List<String> rows(Statement st, String table) throws Exception {
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = st.executeQuery("SELECT " + COLUMNS.replace(" b,", " HEX(b),")
        + " FROM " + table + " ORDER BY id")) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int c = 1; c <= md.getColumnCount(); c++) {
          row.append(rs.getString(c)).append('|');
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  static long status(Statement st, String name) throws Exception {
    try (ResultSet rs = st.executeQuery("SHOW SESSION STATUS LIKE '" + name + "'")) {
      rs.next();
      return rs.getLong(2);
    }
  }

  static long count(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {7, 300, 2_500})
  void halfNewHalfConflictingEveryTypeAndNullGiveWhatExecuteBatchGivesInFewStatements(int chunk)
      throws Exception {
    int total = 1_300;
    try (Connection c = mariadb().getConnection(); Statement st = c.createStatement()) {
      DataSource shared = SharedConnection.dataSource(c);
      List<List<String>> results = new ArrayList<>();
      for (boolean bulk : new boolean[] {true, false}) {
        String table = "pkj_mdb_upsert_" + chunk;
        reset(st, table);
        long inserts = status(st, "Com_insert");
        BatchResult r = BatchWriter.builder(shared, "INSERT INTO " + table + " (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) " + CLAUSE, BINDER)
            .chunkSize(chunk).bulkPaths(bulk).build().write(LongStream.range(0, total).boxed());
        long statements = status(st, "Com_insert") - inserts;
        long chunks = (total + chunk - 1) / chunk;
        assertThat(r.rowsWritten()).isEqualTo(total);
        assertThat(r.chunks()).isEqualTo(chunks);
        if (bulk) {
          assertThat(r.path()).isEqualTo(WritePath.MARIADB_MULTI_ROW_UPSERT);
          // one statement per 1,000 rows of each chunk
          long expected = 0;
          for (long start = 0; start < total; start += chunk) {
            expected += (Math.min(chunk, total - start) + 999) / 1_000;
          }
          assertThat(statements).isEqualTo(expected);
        } else {
          assertThat(r.path()).isEqualTo(WritePath.JDBC_BATCH);
          assertThat(statements).isEqualTo(total); // what the issue measured: row by row
        }
        results.add(rows(st, table));
        st.execute("DROP TABLE " + table);
      }
      assertThat(results.get(0)).hasSize(1_050).isEqualTo(results.get(1));
    }
  }

  @Test
  void aKeyTwiceInOneChunkIsAppliedInInputOrderAsExecuteBatchWould() throws Exception {
    try (Connection c = mariadb().getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pkj_mdb_twice");
      st.execute("CREATE TABLE pkj_mdb_twice (id BIGINT PRIMARY KEY, v VARCHAR(10), n BIGINT)"
          + " ENGINE=InnoDB");
      BatchResult r = BatchWriter.<Long>builder(mariadb(), "INSERT INTO pkj_mdb_twice (id, v, n)"
              + " VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE v = VALUES(v), n = n * 10 + VALUES(n)",
              (ps, i) -> { ps.setLong(1, 5); ps.setString(2, "v" + i); ps.setLong(3, i); })
          .build().write(List.of(1L, 2L, 3L));
      assertThat(r.path()).isEqualTo(WritePath.MARIADB_MULTI_ROW_UPSERT);
      try (ResultSet rs = st.executeQuery("SELECT v, n FROM pkj_mdb_twice WHERE id = 5")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("v3");
        assertThat(rs.getLong(2)).isEqualTo(123); // 1, then 1*10+2, then 12*10+3: in order
      }
      st.execute("DROP TABLE pkj_mdb_twice");
    }
  }

  private static void resetSmall(Statement st, String table) throws Exception {
    st.execute("DROP TABLE IF EXISTS " + table);
    st.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v VARCHAR(12) NOT NULL,"
        + " n BIGINT NOT NULL, CHECK (n < 1000000)) ENGINE=InnoDB");
    st.execute("INSERT INTO " + table + " SELECT seq * 2, 'old', 1 FROM seq_0_to_499");
  }

  private static List<String> small(Statement st, String table) throws Exception {
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = st.executeQuery("SELECT id, v, n FROM " + table + " ORDER BY id")) {
      while (rs.next()) {
        rows.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getLong(3));
      }
    }
    return rows;
  }

  /**
   * Row 2,345 breaks the table: as a new row (a value too long) or as an update of a conflicting
   * row (the CHECK); either way the chunk is blamed and nothing changes.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aFailureMidWriteBlamesTheChunkAndLeavesNoRowChanged(boolean onInsert) throws Exception {
    try (Connection c = mariadb().getConnection(); Statement st = c.createStatement()) {
      String table = "pkj_mdb_fail";
      resetSmall(st, table);
      List<String> before = small(st, table);
      long bad = onInsert ? 2_345 : 2_346;
      BatchWriter<Long> writer = BatchWriter.<Long>builder(mariadb(), "INSERT INTO " + table
              + " (id, v, n) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE v = VALUES(v), n = VALUES(n)",
              (ps, i) -> {
                // rows 0..2999; the bad row is new (id 2,345) or conflicts (id 346, existing)
                ps.setLong(1, !onInsert && i == bad ? 346 : i);
                ps.setString(2, onInsert && i == bad ? "secret-much-too-long" : "new");
                ps.setLong(3, !onInsert && i == bad ? 7_777_777 : i);
              })
          .chunkSize(1_000).build();
      assertThatThrownBy(() -> writer.write(LongStream.range(0, 3_000).boxed()))
          .isInstanceOfSatisfying(BatchWriteException.class, e -> {
            assertThat(e.kind()).isEqualTo(BatchWriteException.Kind.CHUNK);
            assertThat(e.chunkIndex()).isEqualTo(2);
            assertThat(e.rowIndex()).isEqualTo(2_000); // the chunk's first row, never a row
            assertThat(e.rowsCommitted()).isZero();
            assertThat(e.getMessage()).doesNotContain("secret").doesNotContain("7777777")
                .doesNotContain("INSERT");
          });
      assertThat(small(st, table)).isEqualTo(before);
      st.execute("DROP TABLE " + table);
    }
  }

  @Test
  void commitPerChunkKeepsTheChunksBeforeTheFailure() throws Exception {
    try (Connection c = mariadb().getConnection(); Statement st = c.createStatement()) {
      String table = "pkj_mdb_per_chunk";
      resetSmall(st, table);
      BatchWriter<Long> writer = BatchWriter.<Long>builder(mariadb(), "INSERT INTO " + table
              + " (id, v, n) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE v = VALUES(v), n = VALUES(n)",
              (ps, i) -> {
                ps.setLong(1, i);
                ps.setString(2, i == 2_345 ? "secret-much-too-long" : "new");
                ps.setLong(3, i);
              })
          .chunkSize(1_000).commitPerChunk(true).build();
      assertThatThrownBy(() -> writer.write(LongStream.range(0, 3_000).boxed()))
          .isInstanceOfSatisfying(BatchWriteException.class, e -> {
            assertThat(e.kind()).isEqualTo(BatchWriteException.Kind.CHUNK);
            assertThat(e.chunkIndex()).isEqualTo(2);
            assertThat(e.rowsCommitted()).isEqualTo(2_000);
          });
      List<String> expected = new ArrayList<>();
      for (long id = 0; id < 2_000; id++) {
        expected.add(id + "|new|" + id);
      }
      assertThat(small(st, table)).isEqualTo(expected); // chunks 0 and 1 only, every old id in them
      st.execute("DROP TABLE " + table);
    }
  }

  /**
   * 200 rows of 100,000 characters (20 MB, past the server's 16 MiB max_allowed_packet if sent as
   * one statement) and one of 6 MiB: split into statements under the limit, the same rows as
   * executeBatch's.
   */
  @Test
  void largeValuesSplitTheChunkUnderMaxAllowedPacket() throws Exception {
    try (Connection c = mariadb().getConnection(); Statement st = c.createStatement()) {
      long packet = count(st, "SELECT @@max_allowed_packet");
      int rows = 201;
      int each = 100_000;
      assertThat((long) rows * each).as("the rows together exceed max_allowed_packet")
          .isGreaterThan(packet);
      DataSource shared = SharedConnection.dataSource(c);
      List<List<String>> results = new ArrayList<>();
      for (boolean bulk : new boolean[] {true, false}) {
        st.execute("DROP TABLE IF EXISTS pkj_mdb_large");
        st.execute("CREATE TABLE pkj_mdb_large (id BIGINT PRIMARY KEY, s LONGTEXT, n BIGINT)"
            + " ENGINE=InnoDB");
        st.execute("INSERT INTO pkj_mdb_large SELECT seq * 2, 'old', 1 FROM seq_0_to_99");
        long inserts = status(st, "Com_insert");
        BatchResult r = BatchWriter.<Long>builder(shared, "INSERT INTO pkj_mdb_large (id, s, n)"
                + " VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE s = VALUES(s), n = n + VALUES(n)",
                (ps, i) -> {
                  ps.setLong(1, i);
                  String unit = "x'\\ü" + i;
                  ps.setString(2, unit.repeat((i == 100 ? 6 << 20 : each) / unit.length()));
                  ps.setLong(3, i);
                })
            .bulkPaths(bulk).build().write(LongStream.range(0, rows).boxed());
        assertThat(r.path()).isEqualTo(bulk ? WritePath.MARIADB_MULTI_ROW_UPSERT
            : WritePath.JDBC_BATCH);
        if (bulk) {
          assertThat(status(st, "Com_insert") - inserts).as("statements").isBetween(50L, 200L);
        }
        List<String> table = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT id, LENGTH(s), MD5(s), n FROM pkj_mdb_large"
            + " ORDER BY id")) {
          while (rs.next()) {
            table.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|"
                + rs.getString(4));
          }
        }
        results.add(table);
        st.execute("DROP TABLE pkj_mdb_large");
      }
      assertThat(results.get(0)).hasSize(201).isEqualTo(results.get(1));
    }
  }

  /** Statements the multi-row path must not take, each with its number of parameters. */
  @ParameterizedTest
  @ValueSource(strings = {
      "2|INSERT INTO pkj_mdb_keep (id, v) SELECT ?, ? FROM DUAL"
          + " ON DUPLICATE KEY UPDATE v = VALUES(v)",
      "4|INSERT INTO pkj_mdb_keep (id, v) VALUES (?, ?), (?, ?)"
          + " ON DUPLICATE KEY UPDATE v = VALUES(v)",
      "2|INSERT INTO pkj_mdb_keep (id, v) VALUES (?, CONCAT('x', ?))"
          + " ON DUPLICATE KEY UPDATE v = VALUES(v)",
      "3|INSERT INTO pkj_mdb_keep (id, v) VALUES (?, ?) ON DUPLICATE KEY UPDATE v = ?"})
  void shapesItDoesNotUnderstandKeepExecuteBatch(String c) throws Exception {
    int params = Integer.parseInt(c.substring(0, 1));
    String sql = c.substring(2);
    try (Connection conn = mariadb().getConnection(); Statement st = conn.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pkj_mdb_keep");
      st.execute("CREATE TABLE pkj_mdb_keep (id BIGINT PRIMARY KEY, v VARCHAR(20)) ENGINE=InnoDB");
      BatchResult r = BatchWriter.<Long>builder(mariadb(), sql, (ps, i) -> {
            for (int p = 1; p <= params; p++) {
              if (p % 2 == 1) {
                ps.setLong(p, i + (p - 1) * 1_000L);
              } else {
                ps.setString(p, "v" + i);
              }
            }
          }).build().write(LongStream.range(0, 10).boxed());
      assertThat(r.path()).isEqualTo(WritePath.JDBC_BATCH);
      assertThat(count(st, "SELECT COUNT(*) FROM pkj_mdb_keep")).isEqualTo(params == 4 ? 20 : 10);
      st.execute("DROP TABLE pkj_mdb_keep");
    }
  }

  /**
   * Where a multi-row statement would not fail as the single-row ones do (a non-strict
   * {@code sql_mode}, a non-transactional table), and with {@code bulkPaths(false)}: executeBatch.
   */
  @Test
  void nonStrictModeNonTransactionalTablesAndBulkPathsOffKeepExecuteBatch() throws Exception {
    String sql = "INSERT INTO pkj_mdb_keep2 (id, v) VALUES (?, ?) ON DUPLICATE KEY UPDATE"
        + " v = VALUES(v)";
    ParameterBinder<Long> binder = (ps, i) -> { ps.setLong(1, i); ps.setString(2, "v" + i); };
    try (Connection conn = mariadb().getConnection(); Statement st = conn.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pkj_mdb_keep2");
      st.execute("CREATE TABLE pkj_mdb_keep2 (id BIGINT PRIMARY KEY, v VARCHAR(20))"
          + " ENGINE=InnoDB");
      DataSource lax = BatchWriterTest.dataSource("mariadb",
          "sessionVariables=sql_mode=NO_ENGINE_SUBSTITUTION");
      assertThat(BatchWriter.builder(lax, sql, binder).build()
          .write(List.of(1L, 2L)).path()).isEqualTo(WritePath.JDBC_BATCH);
      assertThat(BatchWriter.builder(mariadb(), sql, binder).bulkPaths(false).build()
          .write(List.of(3L, 4L)).path()).isEqualTo(WritePath.JDBC_BATCH);
      assertThat(BatchWriter.builder(mariadb(), sql, binder).build()
          .write(List.of(5L, 6L)).path()).isEqualTo(WritePath.MARIADB_MULTI_ROW_UPSERT);
      st.execute("ALTER TABLE pkj_mdb_keep2 ENGINE=MyISAM");
      assertThat(BatchWriter.builder(mariadb(), sql, binder).build()
          .write(List.of(7L, 8L)).path()).isEqualTo(WritePath.JDBC_BATCH);
      assertThat(count(st, "SELECT COUNT(*) FROM pkj_mdb_keep2")).isEqualTo(8);
      st.execute("DROP TABLE pkj_mdb_keep2");
    }
  }

  /**
   * Child entry point: upserts 10 million generated rows (ids 0..4,999,999 twice) and prints the
   * path and what the table holds.
   *
   * @param args url, user, password
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    var ds = new BatchWriterTest.UrlDataSource(args[0], args[1], args.length > 2 ? args[2] : "");
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pkj_mdb_ten_million");
      st.execute("CREATE TABLE pkj_mdb_ten_million (id BIGINT PRIMARY KEY, v VARCHAR(40),"
          + " n BIGINT) ENGINE=InnoDB");
      BatchResult r = BatchWriter.<Long>builder(ds, "INSERT INTO pkj_mdb_ten_million (id, v, n)"
              + " VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE v = VALUES(v), n = n + VALUES(n)",
              (ps, i) -> {
                ps.setLong(1, i % 5_000_000);
                ps.setString(2, "row-" + i + "-padding");
                ps.setLong(3, i < 5_000_000 ? 1 : 2);
              })
          .build().write(LongStream.range(0, 10_000_000).boxed());
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*), SUM(id), SUM(n), MAX(v)"
          + " FROM pkj_mdb_ten_million")) {
        rs.next();
        System.out.println("PATH " + r.path() + " WRITTEN " + r.rowsWritten() + " ROWS "
            + rs.getLong(1) + " SUM " + rs.getLong(2) + " N " + rs.getLong(3) + " MAX "
            + rs.getString(4));
      }
      st.execute("DROP TABLE pkj_mdb_ten_million");
    }
  }

  @Test
  void tenMillionLazyRowsUpsertInFlatMemory() throws Exception {
    var s = LoopbackServices.mariadb();
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator
        + "java";
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx32m", "-cp",
        System.getProperty("java.class.path"), MariaDbUpsertTest.class.getName(), s.jdbcUrl(),
        s.user()));
    if (s.password() != null) {
      cmd.add(s.password());
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(900, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    // 5,000,000 keys, each inserted (n = 1) then updated (n + 2) by a later chunk
    assertThat(out).contains("PATH MARIADB_MULTI_ROW_UPSERT WRITTEN 10000000 ROWS 5000000 SUM "
        + "12499997500000 N 15000000 MAX row-9999999-padding");
  }
}
