package io.github.perfkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.testkit.LoopbackServices;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BatchWriterTest {

  static DataSource dataSource(String db) {
    return switch (db) {
      case "h2" -> new UrlDataSource("jdbc:h2:mem:pkj_batch;DB_CLOSE_DELAY=-1", "sa", "");
      case "duckdb" -> new UrlDataSource("jdbc:duckdb:", null, null);
      case "postgres" -> {
        var s = LoopbackServices.postgres();
        yield new UrlDataSource(s.jdbcUrl(), s.user(), s.password());
      }
      case "mariadb" -> {
        var s = LoopbackServices.mariadb();
        yield new UrlDataSource(s.jdbcUrl(), s.user(), s.password());
      }
      default -> throw new IllegalArgumentException(db);
    };
  }

  private static long count(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "duckdb", "postgres", "mariadb"})
  void writesEveryRowAndAFailureMidBatchLeavesNoRow(String db) throws Exception {
    DataSource ds = dataSource(db);
    String table = "pkj_batch_" + db;
    try (Connection keep = ds.getConnection(); Statement st = keep.createStatement()) {
      // DuckDB in-memory lives as long as one connection: keep it open and hand out the same database
      DataSource use = db.equals("duckdb") ? new SingleConnectionDataSource(keep) : ds;
      st.execute("DROP TABLE IF EXISTS " + table);
      st.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v VARCHAR(20))");

      BatchWriter<Long> writer = BatchWriter.<Long>builder(use,
          "INSERT INTO " + table + " (id, v) VALUES (?, ?)",
          (ps, id) -> { ps.setLong(1, id); ps.setString(2, "v" + id); })
          .chunkSize(100).build();

      BatchResult ok = writer.write(LongStream.range(0, 1_000).boxed());
      assertThat(ok.rowsWritten()).isEqualTo(1_000);
      assertThat(ok.chunks()).isEqualTo(10);
      assertThat(count(keep, table)).isEqualTo(1_000);
      assertThat(writer.recorder().snapshot().count()).isEqualTo(10);

      st.execute("DELETE FROM " + table);
      // row 550 duplicates row 0: chunk 5 fails, and nothing at all may remain
      Stream<Long> bad = LongStream.range(0, 1_000).map(i -> i == 550 ? 0 : i).boxed();
      assertThatThrownBy(() -> writer.write(bad))
          .isInstanceOfSatisfying(BatchWriteException.class, e -> {
            assertThat(e.chunkIndex()).isEqualTo(5);
            assertThat(e.rowIndex()).isBetween(500L, 550L);
            assertThat(e.rowsCommitted()).isZero();
            assertThat(e.getMessage()).contains("chunk 5");
          });
      assertThat(count(keep, table)).isZero();
      st.execute("DROP TABLE " + table);
    }
  }

  @Test
  void perChunkCommitKeepsChunksBeforeTheFailure() throws Exception {
    DataSource ds = dataSource("h2");
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pkj_chunk");
      st.execute("CREATE TABLE pkj_chunk (id BIGINT PRIMARY KEY)");
      BatchWriter<Long> w = BatchWriter.<Long>builder(ds, "INSERT INTO pkj_chunk (id) VALUES (?)",
          (ps, id) -> ps.setLong(1, id)).chunkSize(10).commitPerChunk(true).build();
      assertThatThrownBy(() -> w.write(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 1L)))
          .isInstanceOfSatisfying(BatchWriteException.class, e -> {
            assertThat(e.chunkIndex()).isEqualTo(1);
            assertThat(e.rowsCommitted()).isEqualTo(10);
          });
      assertThat(count(c, "pkj_chunk")).isEqualTo(10);
    }
  }

  @Test
  void inputIsPulledLazilyOneRowAheadOfTheBinder() throws Exception {
    DataSource ds = dataSource("h2");
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pkj_lazy");
      st.execute("CREATE TABLE pkj_lazy (id BIGINT)");
      long[] pulled = {0};
      long[] maxAhead = {0};
      BatchWriter<Long> w = BatchWriter.<Long>builder(ds, "INSERT INTO pkj_lazy (id) VALUES (?)",
          (ps, id) -> {
            maxAhead[0] = Math.max(maxAhead[0], pulled[0] - id);
            ps.setLong(1, id);
          }).chunkSize(1_000).build();
      BatchResult r = w.write(LongStream.range(0, 200_000).peek(i -> pulled[0]++).boxed());
      assertThat(r.rowsWritten()).isEqualTo(200_000);
      assertThat(pulled[0]).isEqualTo(200_000);
      assertThat(maxAhead[0]).isEqualTo(1);
      st.execute("DROP TABLE pkj_lazy");
    }
  }

  /** A data source for {@code db} with extra JDBC URL options. */
  static DataSource dataSource(String db, String urlOptions) {
    if (urlOptions == null || urlOptions.isEmpty()) {
      return dataSource(db);
    }
    var s = db.equals("postgres") ? LoopbackServices.postgres() : LoopbackServices.mariadb();
    return new UrlDataSource(s.jdbcUrl() + (s.jdbcUrl().contains("?") ? "&" : "?") + urlOptions,
        s.user(), s.password());
  }

  private static String uniqueTable(String prefix) {
    return prefix + "_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 1_000_000;
  }

  /** Rows 0..n-1 with ids i, except row {@code bad}, whose id repeats row 5's; values carry a secret. */
  private static BatchWriter<Long> secretWriter(DataSource ds, String table, int chunk, long bad) {
    return BatchWriter.<Long>builder(ds, "INSERT INTO " + table + " (id, v) VALUES (?, ?)",
        (ps, i) -> {
          ps.setLong(1, i == bad ? 5 : i);
          ps.setString(2, "hunter2-" + i);
        }).chunkSize(chunk).bulkPaths(false).build();
  }

  /**
   * Issue 12 item 10: on the executeBatch path the exact failing row is named wherever the driver
   * tells it (pgjdbc's "Batch entry N", update counts on H2, DuckDB and MariaDB without bulk
   * statements), not the chunk's first row; and the message quotes no value.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"postgres,,100000,73456", "mariadb,useBulkStmts=false&useBulkStmtsForInserts=false,10000,7456",
      "h2,,10000,7456", "duckdb,,10000,7456"})
  void executeBatchNamesTheExactFailingRowDeepInAChunk(String db, String urlOptions, long rows,
      long bad) throws Exception {
    DataSource ds = dataSource(db, urlOptions);
    String table = uniqueTable("pkj_batch_row_" + db);
    try (Connection keep = ds.getConnection(); Statement st = keep.createStatement()) {
      DataSource use = db.equals("duckdb") ? new SingleConnectionDataSource(keep) : ds;
      st.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v VARCHAR(20))");
      try {
        assertThatThrownBy(() -> secretWriter(use, table, 1_000, bad).write(LongStream.range(0, rows).boxed()))
            .isInstanceOfSatisfying(BatchWriteException.class, e -> {
              assertThat(e.kind()).isEqualTo(BatchWriteException.Kind.ROW);
              assertThat(e.rowIndex()).isEqualTo(bad);
              assertThat(e.chunkIndex()).isEqualTo(bad / 1_000);
              assertThat(e.getMessage()).contains("row index " + bad).contains("chunk " + bad / 1_000)
                  .doesNotContain("hunter2").doesNotContain("Batch entry");
            });
        assertThat(count(keep, table)).isZero();
      } finally {
        st.execute("DROP TABLE " + table);
      }
    }
  }

  /**
   * Issue 12 item 10: where the driver marks the whole chunk failed and says nothing else (MariaDB's
   * bulk statements, pgjdbc rewriting inserts), the chunk is blamed, not a row that may be innocent.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"mariadb,", "postgres,reWriteBatchedInserts=true"})
  void whenTheDriverDoesNotSayWhichRowTheChunkIsBlamedNotARow(String db, String urlOptions)
      throws Exception {
    DataSource ds = dataSource(db, urlOptions);
    String table = uniqueTable("pkj_batch_chunk_" + db);
    try (Connection keep = ds.getConnection(); Statement st = keep.createStatement()) {
      st.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v VARCHAR(20))");
      try {
        assertThatThrownBy(() -> secretWriter(ds, table, 1_000, 7_456).write(LongStream.range(0, 10_000).boxed()))
            .isInstanceOfSatisfying(BatchWriteException.class, e -> {
              assertThat(e.kind()).isEqualTo(BatchWriteException.Kind.CHUNK);
              assertThat(e.chunkIndex()).isEqualTo(7);
              assertThat(e.rowIndex()).isEqualTo(7_000);
              assertThat(e.getMessage()).contains("chunk 7").contains("did not say which")
                  .doesNotContain("hunter2");
            });
        assertThat(count(keep, table)).isZero();
      } finally {
        st.execute("DROP TABLE " + table);
      }
    }
  }

  /** Issue 12 item 10: a failure to get a connection blames no row. */
  @Test
  void aClosedPoolIsReportedAsAConnectionFailureNotAsARow() {
    var pg = LoopbackServices.postgres();
    com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
    config.setJdbcUrl(pg.jdbcUrl());
    config.setUsername(pg.user());
    config.setPassword(pg.password());
    config.setMaximumPoolSize(1);
    com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config);
    pool.close();
    for (boolean bulk : new boolean[] {true, false}) {
      assertThatThrownBy(() -> BatchWriter.<Long>builder(pool, "INSERT INTO t (id) VALUES (?)",
          (ps, id) -> ps.setLong(1, id)).bulkPaths(bulk).build().write(List.of(1L, 2L)))
          .isInstanceOfSatisfying(BatchWriteException.class, e -> {
            assertThat(e.kind()).isEqualTo(BatchWriteException.Kind.CONNECTION);
            assertThat(e.chunkIndex()).isEqualTo(-1);
            assertThat(e.rowIndex()).isEqualTo(-1);
            assertThat(e.getMessage()).startsWith("batched write could not get a connection")
                .doesNotContain("row index").doesNotContain("chunk 0");
          });
    }
  }

  /** Issue 12 item 10: a wrong password is a connection failure, and the password is not in it. */
  @Test
  void aWrongPasswordIsReportedAsAConnectionFailureWithoutThePassword() {
    var m = LoopbackServices.mariadb();
    DataSource wrong = new UrlDataSource(m.jdbcUrl(), m.user(), "hunter2-wrong-password");
    assertThatThrownBy(() -> BatchWriter.<Long>builder(wrong, "INSERT INTO t (id) VALUES (?)",
        (ps, id) -> ps.setLong(1, id)).build().write(List.of(1L)))
        .isInstanceOfSatisfying(BatchWriteException.class, e -> {
          assertThat(e.kind()).isEqualTo(BatchWriteException.Kind.CONNECTION);
          assertThat(e.rowIndex()).isEqualTo(-1);
          assertThat(e.getMessage()).startsWith("batched write could not get a connection")
              .contains("SQLState 28000").doesNotContain("hunter2").doesNotContain("row index");
        });
  }

  /** A statement that cannot start (an unknown table) blames no row either, on every path. */
  @ParameterizedTest(name = "{0} bulk={1}")
  @CsvSource({"postgres,true", "postgres,false", "mariadb,false", "h2,false", "duckdb,true", "duckdb,false"})
  void aStatementThatCannotStartBlamesNoRow(String db, boolean bulk) throws Exception {
    DataSource ds = dataSource(db);
    try (Connection keep = ds.getConnection()) {
      DataSource use = db.equals("duckdb") ? new SingleConnectionDataSource(keep) : ds;
      assertThatThrownBy(() -> BatchWriter.<Long>builder(use, "INSERT INTO pkj_no_such_table (id) VALUES (?)",
          (ps, id) -> ps.setLong(1, id)).bulkPaths(bulk).chunkSize(10).build()
          .write(LongStream.range(0, 100).boxed()))
          .isInstanceOfSatisfying(BatchWriteException.class, e -> {
            assertThat(e.kind()).isEqualTo(BatchWriteException.Kind.STATEMENT);
            assertThat(e.rowIndex()).isEqualTo(-1);
            assertThat(e.getMessage()).startsWith("batched write could not start its statement");
          });
    }
  }

  @Test
  void badInputFailsFastNamingTheParameter() {
    DataSource ds = dataSource("h2");
    assertThatThrownBy(() -> BatchWriter.builder(ds, null, (ps, r) -> { }))
        .isInstanceOf(NullPointerException.class).hasMessage("sql must not be null");
    assertThatThrownBy(() -> BatchWriter.builder(ds, "x", null))
        .isInstanceOf(NullPointerException.class).hasMessage("binder must not be null");
    assertThatThrownBy(() -> BatchWriter.builder(ds, "x", (ps, r) -> { }).chunkSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("chunkSize must be positive but was 0");
  }

  /** Minimal DriverManager-backed DataSource for tests. */
  record UrlDataSource(String url, String user, String password) implements DataSource {
    @Override public Connection getConnection() throws SQLException {
      return user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, password);
    }
    @Override public Connection getConnection(String u, String p) throws SQLException {
      return DriverManager.getConnection(url, u, p);
    }
    @Override public PrintWriter getLogWriter() { return null; }
    @Override public void setLogWriter(PrintWriter out) { }
    @Override public void setLoginTimeout(int seconds) { }
    @Override public int getLoginTimeout() { return 0; }
    @Override public Logger getParentLogger() { return Logger.getGlobal(); }
    @Override public <T> T unwrap(Class<T> iface) throws SQLException { throw new SQLException("no"); }
    @Override public boolean isWrapperFor(Class<?> iface) { return false; }
  }

  /** Hands out duplicates of one DuckDB connection (same in-memory database). */
  record SingleConnectionDataSource(Connection base) implements DataSource {
    @Override public Connection getConnection() throws SQLException {
      return ((org.duckdb.DuckDBConnection) base.unwrap(org.duckdb.DuckDBConnection.class)).duplicate();
    }
    @Override public Connection getConnection(String u, String p) throws SQLException { return getConnection(); }
    @Override public PrintWriter getLogWriter() { return null; }
    @Override public void setLogWriter(PrintWriter out) { }
    @Override public void setLoginTimeout(int seconds) { }
    @Override public int getLoginTimeout() { return 0; }
    @Override public Logger getParentLogger() { return Logger.getGlobal(); }
    @Override public <T> T unwrap(Class<T> iface) throws SQLException { throw new SQLException("no"); }
    @Override public boolean isWrapperFor(Class<?> iface) { return false; }
  }
}
