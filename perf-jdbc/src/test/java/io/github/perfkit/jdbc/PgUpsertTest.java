package io.github.perfkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.testkit.LoopbackServices;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PostgreSQL upserts through COPY into a temporary table and one {@code INSERT ... SELECT ... ON
 * CONFLICT} per chunk ({@link WritePath#POSTGRES_COPY_UPSERT}): the same rows as
 * {@code executeBatch} of the same statement (the oracle, {@code bulkPaths(false)}), all-or-nothing,
 * the failing row named where the database says it.
 */
class PgUpsertTest {

  static DataSource pg() {
    return BatchWriterTest.dataSource("postgres");
  }

  private static List<String> table(Statement st, String table) throws Exception {
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = st.executeQuery("SELECT id, v, n FROM " + table + " ORDER BY id")) {
      while (rs.next()) {
        rows.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getLong(3));
      }
    }
    return rows;
  }

  private static void reset(Statement st, String table) throws Exception {
    st.execute("DROP TABLE IF EXISTS " + table);
    st.execute("CREATE TABLE " + table + " (id INT8 PRIMARY KEY, v VARCHAR(12) NOT NULL,"
        + " n INT8 NOT NULL CHECK (n < 1000000))");
    // 500 existing rows 0, 2, 4, ... 998: half of the upserted ids 0..999 conflict
    st.execute("INSERT INTO " + table + " SELECT g * 2, 'old', 1 FROM generate_series(0, 499) g");
  }

  static final String[] CLAUSES = {
      "ON CONFLICT (id) DO UPDATE SET v = excluded.v, n = %s.n + excluded.n",
      "ON CONFLICT (id) DO NOTHING",
      "ON CONFLICT ON CONSTRAINT %s_pkey DO UPDATE SET v = excluded.v WHERE %s.v = 'old'"};

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2})
  void anUpsertHalfNewHalfConflictingGivesExactlyWhatExecuteBatchGives(int clause)
      throws Exception {
    DataSource ds = pg();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      List<List<String>> results = new ArrayList<>();
      for (boolean bulk : new boolean[] {true, false}) {
        String table = "pkj_upsert_" + clause;
        reset(st, table);
        String sql = "INSERT INTO " + table + " (id, v, n) VALUES (?, ?, ?) "
            + CLAUSES[clause].replace("%s", table);
        // ids 0..999, then 0..199 again: the second pass hits keys the same chunk or an earlier
        // one already wrote
        BatchResult r = BatchWriter.<Long>builder(ds, sql, (ps, i) -> {
              ps.setLong(1, i % 1_000);
              ps.setString(2, "new" + i);
              ps.setLong(3, i);
            }).chunkSize(300).bulkPaths(bulk).build().write(LongStream.range(0, 1_200).boxed());
        assertThat(r.rowsWritten()).isEqualTo(1_200);
        assertThat(r.chunks()).isEqualTo(4);
        assertThat(r.path()).isEqualTo(bulk ? WritePath.POSTGRES_COPY_UPSERT
            : WritePath.JDBC_BATCH);
        results.add(table(st, table));
        st.execute("DROP TABLE " + table);
      }
      assertThat(results.get(0)).hasSize(1_000).isEqualTo(results.get(1));
    }
  }

  @Test
  void aKeyTwiceInOneChunkIsMergedInInputOrderAsExecuteBatchWould() throws Exception {
    DataSource ds = pg();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      reset(st, "pkj_upsert_twice");
      BatchResult r = BatchWriter.<Long>builder(ds, "INSERT INTO pkj_upsert_twice (id, v, n) "
              + "VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET v = excluded.v, "
              + "n = pkj_upsert_twice.n * 10 + excluded.n",
              (ps, i) -> { ps.setLong(1, 5); ps.setString(2, "v" + i); ps.setLong(3, i); })
          .build().write(List.of(1L, 2L, 3L));
      assertThat(r.path()).isEqualTo(WritePath.POSTGRES_COPY_UPSERT);
      try (ResultSet rs = st.executeQuery("SELECT v, n FROM pkj_upsert_twice WHERE id = 5")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("v3");
        assertThat(rs.getLong(2)).isEqualTo(123); // 1, then 1*10+2, then 12*10+3: in order
      }
      st.execute("DROP TABLE pkj_upsert_twice");
    }
  }

  @Test
  void aValueTheStageRejectsIsNamedByRowAndNothingChanges() throws Exception {
    DataSource ds = pg();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      reset(st, "pkj_upsert_row");
      BatchWriter<Long> writer = BatchWriter.<Long>builder(ds, "INSERT INTO pkj_upsert_row (id, v,"
              + " n) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET v = excluded.v",
              (ps, i) -> {
                ps.setLong(1, i);
                ps.setString(2, i == 2_345 ? "much too long for it" : "x");
                ps.setLong(3, 0);
              })
          .chunkSize(1_000).build();
      assertThatThrownBy(() -> writer.write(LongStream.range(0, 3_000).boxed()))
          .isInstanceOfSatisfying(BatchWriteException.class, e -> {
            assertThat(e.kind()).isEqualTo(BatchWriteException.Kind.ROW);
            assertThat(e.rowIndex()).isEqualTo(2_345);
            assertThat(e.chunkIndex()).isEqualTo(2);
            assertThat(e.rowsCommitted()).isZero();
          });
      List<String> rows = table(st, "pkj_upsert_row");
      assertThat(rows).hasSize(500).allMatch(row -> row.endsWith("|old|1"));
      st.execute("DROP TABLE pkj_upsert_row");
    }
  }

  @Test
  void aConstraintTheMergeBreaksBlamesTheChunkAndNothingChanges() throws Exception {
    DataSource ds = pg();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      reset(st, "pkj_upsert_chunk");
      BatchWriter<Long> writer = BatchWriter.<Long>builder(ds, "INSERT INTO pkj_upsert_chunk (id,"
              + " v, n) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
              (ps, i) -> {
                ps.setLong(1, 10_000 + i);
                ps.setString(2, "x");
                ps.setLong(3, i == 1_500 ? 5_000_000 : i); // breaks the CHECK
              })
          .chunkSize(1_000).build();
      assertThatThrownBy(() -> writer.write(LongStream.range(0, 3_000).boxed()))
          .isInstanceOfSatisfying(BatchWriteException.class, e -> {
            assertThat(e.kind()).isEqualTo(BatchWriteException.Kind.CHUNK);
            assertThat(e.chunkIndex()).isEqualTo(1);
            assertThat(e.rowIndex()).isEqualTo(1_000); // the chunk's first row
          });
      assertThat(table(st, "pkj_upsert_chunk")).hasSize(500);
      // and the stage is gone with the transaction: a new write works on the same session
      st.execute("DROP TABLE pkj_upsert_chunk");
    }
  }

  @Test
  void perChunkCommitKeepsTheChunksBeforeTheFailureAndRemakesTheStage() throws Exception {
    DataSource ds = pg();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      reset(st, "pkj_upsert_commit");
      BatchWriter<Long> writer = BatchWriter.<Long>builder(ds, "INSERT INTO pkj_upsert_commit (id,"
              + " v, n) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET v = excluded.v",
              (ps, i) -> {
                ps.setLong(1, i);
                ps.setString(2, "new");
                ps.setLong(3, i == 1_001 ? 5_000_000 : 0); // a new row breaking the CHECK
              })
          .chunkSize(100).commitPerChunk(true).build();
      // row 250 inserts id 1,001 (new), which breaks the CHECK: chunk 2 fails
      assertThatThrownBy(() -> writer.write(LongStream.range(0, 400).map(i -> i == 250 ? 1_001 : i)
          .boxed()))
          .isInstanceOfSatisfying(BatchWriteException.class, e -> {
            assertThat(e.chunkIndex()).isEqualTo(2);
            assertThat(e.rowsCommitted()).isEqualTo(200);
          });
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FILTER (WHERE v = 'new'), COUNT(*) "
          + "FROM pkj_upsert_commit")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(200); // ids 0..199 written, 200.. not
        assertThat(rs.getLong(2)).isEqualTo(500 + 100); // 100 new odd ids below 200
      }
      st.execute("DROP TABLE pkj_upsert_commit");
    }
  }

  /**
   * Child entry point: upserts 10 million generated rows into PostgreSQL through the stage and
   * prints the path and the count.
   *
   * @param args url, user, password
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    var ds = new BatchWriterTest.UrlDataSource(args[0], args[1], args.length > 2 ? args[2] : "");
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pkj_upsert_ten_million");
      st.execute("CREATE UNLOGGED TABLE pkj_upsert_ten_million (id INT8 PRIMARY KEY, v TEXT)");
      BatchResult r = BatchWriter.<Long>builder(ds, "INSERT INTO pkj_upsert_ten_million (id, v) "
              + "VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET v = excluded.v", (ps, id) -> {
                ps.setLong(1, id);
                ps.setString(2, "row-" + id + "-padding-padding");
              })
          .build().write(LongStream.range(0, 10_000_000).boxed());
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*), SUM(id) FROM pkj_upsert_ten_million")) {
        rs.next();
        System.out.println("PATH " + r.path() + " ROWS " + rs.getLong(1) + " SUM " + rs.getLong(2));
      }
      st.execute("DROP TABLE pkj_upsert_ten_million");
    }
  }

  @Test
  void tenMillionLazyRowsUpsertThroughTheStageInFlatMemory() throws Exception {
    var pg = LoopbackServices.postgres();
    String java = System.getProperty("java.home") + File.separator + "bin"
        + File.separator + "java";
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx32m", "-cp",
        System.getProperty("java.class.path"), PgUpsertTest.class.getName(), pg.jdbcUrl(),
        pg.user()));
    if (pg.password() != null) {
      cmd.add(pg.password());
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(),
        StandardCharsets.UTF_8);
    assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("PATH POSTGRES_COPY_UPSERT ROWS 10000000 SUM 49999995000000");
  }
}
