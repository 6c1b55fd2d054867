package io.github.perfkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.jdbc.QueryPlan.Kind;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExplainTest {

  private static String fill(String db, String t) {
    return switch (db) {
      case "postgres" -> "INSERT INTO " + t + " SELECT g, g % 5000, 'pad' FROM generate_series(1, 50000) g";
      case "mariadb" -> "INSERT INTO " + t + " SELECT seq, seq % 5000, 'pad' FROM seq_1_to_50000";
      case "h2" -> "INSERT INTO " + t + " SELECT X, MOD(X, 5000), 'pad' FROM SYSTEM_RANGE(1, 50000)";
      default -> "INSERT INTO " + t + " SELECT range + 1, (range + 1) % 5000, 'pad' FROM range(50000)";
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "mariadb", "h2", "duckdb"})
  void seqScanUnderSelectiveFilterSuggestsAnIndexUntilTheIndexExists(String db) throws Exception {
    DataSource ds = BatchWriterTest.dataSource(db);
    String t = "pkj_explain_" + db;
    try (Connection keep = ds.getConnection(); Statement st = keep.createStatement()) {
      DataSource use = db.equals("duckdb") ? new BatchWriterTest.SingleConnectionDataSource(keep) : ds;
      st.execute("DROP TABLE IF EXISTS " + t);
      st.execute("CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, k INT, pad VARCHAR(10))");
      st.execute(fill(db, t));
      if (db.equals("postgres")) {
        st.execute("ANALYZE " + t);
      }
      String q = "SELECT id, pad FROM " + t + " WHERE k = ?";
      boolean analyze = !db.equals("h2");
      QueryPlan before = Explain.explain(use, q, analyze, 7);
      assertThat(before.findings()).as(before.raw())
          .anyMatch(f -> f.kind() == Kind.SEQUENTIAL_SCAN_SUGGEST_INDEX);
      if (db.equals("postgres")) {
        assertThat(before.root().actualRows()).isEqualTo(10);
        assertThat(before.root().estimatedRows()).isPositive();
      }
      if (!db.equals("duckdb")) { // DuckDB's ART index is not used for such filters by design
        st.execute("CREATE INDEX " + t + "_k ON " + t + " (k)");
        if (db.equals("postgres")) {
          st.execute("ANALYZE " + t);
        }
        QueryPlan after = Explain.explain(use, q, analyze, 7);
        assertThat(after.findings()).as(after.raw())
            .noneMatch(f -> f.kind() == Kind.SEQUENTIAL_SCAN_SUGGEST_INDEX);
      }
      st.execute("DROP TABLE " + t);
    }
  }

  @Test
  void postgresAnalyzeRunsInARolledBackTransactionAndFlagsBadEstimates() throws Exception {
    DataSource ds = BatchWriterTest.dataSource("postgres");
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pkj_explain_est");
      st.execute("CREATE TABLE pkj_explain_est (id BIGINT, k INT)");
      st.execute("ALTER TABLE pkj_explain_est SET (autovacuum_enabled = false)");
      st.execute("INSERT INTO pkj_explain_est VALUES (1, 1)");
      st.execute("ANALYZE pkj_explain_est");
      st.execute("INSERT INTO pkj_explain_est SELECT g, 1 FROM generate_series(1, 100000) g");
      QueryPlan plan = Explain.explain(ds, "DELETE FROM pkj_explain_est WHERE k = ?", true, 1);
      assertThat(plan.findings()).anyMatch(f -> f.kind() == Kind.ESTIMATE_FAR_FROM_ACTUAL);
      try (var rs = st.executeQuery("SELECT count(*) FROM pkj_explain_est")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(100_001); // the analyzed DELETE was rolled back
      }
      st.execute("DROP TABLE pkj_explain_est");
    }
  }

  private static long[] countAndSum(Statement st, String table) throws Exception {
    try (var rs = st.executeQuery("SELECT COUNT(*), SUM(v) FROM " + table)) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  /**
   * Issue 12 item 8: EXPLAIN with analyze never changes data. Where the database rolls the statement
   * back (PostgreSQL, H2, DuckDB) it runs inside a transaction that is always rolled back; where it
   * cannot be sure to (MariaDB: MyISAM/Aria tables and triggers ignore a rollback) a data-changing
   * statement is refused, naming its kind and never its literals.
   */
  @ParameterizedTest
  @ValueSource(strings = {"postgres", "mariadb", "h2", "duckdb"})
  void analyzeNeverChangesData(String db) throws Exception {
    DataSource ds = BatchWriterTest.dataSource(db);
    String t = "pkj_explain_dml_" + db + "_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100_000;
    try (Connection keep = ds.getConnection(); Statement st = keep.createStatement()) {
      DataSource use = db.equals("duckdb") ? new BatchWriterTest.SingleConnectionDataSource(keep) : ds;
      st.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, v INT, s VARCHAR(20))");
      try {
        StringBuilder insert = new StringBuilder("INSERT INTO " + t + " VALUES ");
        for (int i = 1; i <= 100; i++) {
          insert.append(i == 1 ? "" : ", ").append("(").append(i).append(", ").append(i).append(", 'x')");
        }
        st.execute(insert.toString());
        List<String> changes = List.of(
            "DELETE FROM " + t + " WHERE id % 2 = 0",
            "UPDATE " + t + " SET v = v + 1, s = 'hunter2'",
            "INSERT INTO " + t + " SELECT id + 1000, v, 'hunter2' FROM " + t);
        for (String sql : changes) {
          String kind = sql.substring(0, 6);
          if (db.equals("mariadb")) {
            assertThatThrownBy(() -> Explain.explain(use, sql, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(kind).hasMessageContaining("MariaDB")
                .hasMessageNotContaining("hunter2").hasMessageNotContaining("1000");
            assertThat(Explain.explain(use, sql, false).raw()).as("explain without analyze still works")
                .isNotBlank();
          } else {
            QueryPlan plan = Explain.explain(use, sql, true);
            assertThat(plan.raw()).isNotBlank();
          }
          assertThat(countAndSum(st, t)).as(db + ": " + sql).containsExactly(100, 5050);
        }
        // a SELECT with analyze runs everywhere, and changes nothing either
        assertThat(Explain.explain(use, "SELECT * FROM " + t + " WHERE v > ?", true, 50).raw()).isNotBlank();
        assertThat(countAndSum(st, t)).containsExactly(100, 5050);
        // a second statement is never run, with analyze or without
        for (boolean analyze : new boolean[] {true, false}) {
          assertThatThrownBy(() -> Explain.explain(use, "SELECT 1; DELETE FROM " + t, analyze))
              .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one statement");
        }
        assertThat(countAndSum(st, t)).containsExactly(100, 5050);
      } finally {
        st.execute("DROP TABLE " + t);
      }
    }
  }

  @Test
  void analyzeRefusesStatementsThatCannotBeRolledBackOnMariadb() throws Exception {
    DataSource ds = BatchWriterTest.dataSource("mariadb");
    String t = "pkj_explain_myisam_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100_000;
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, v INT) ENGINE=MyISAM");
      try {
        st.execute("INSERT INTO " + t + " SELECT seq, seq FROM seq_1_to_100");
        assertThatThrownBy(() -> Explain.explain(ds, "DELETE FROM " + t + " WHERE id % 2 = 0", true))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DELETE");
        // SELECT ... INTO OUTFILE writes a file on the server when analyzed
        assertThatThrownBy(() -> Explain.explain(ds, "SELECT * FROM " + t + " INTO OUTFILE '/tmp/pkj_"
            + System.nanoTime() + "'", true))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("INTO");
        assertThat(countAndSum(st, t)).containsExactly(100, 5050);
      } finally {
        st.execute("DROP TABLE " + t);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "h2"})
  void analyzeInsideTheCallersTransactionRollsBackOnlyTheExplainedStatement(String db)
      throws Exception {
    DataSource ds = BatchWriterTest.dataSource(db);
    String t = "pkj_explain_tx_" + db + "_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100_000;
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, v INT)");
      try {
        c.setAutoCommit(false);
        st.execute("INSERT INTO " + t + " VALUES (1, 10), (2, 20)"); // the caller's uncommitted work
        Explain.explain(SharedConnection.dataSource(c), "DELETE FROM " + t, true);
        assertThat(c.getAutoCommit()).isFalse();
        assertThat(countAndSum(st, t)).containsExactly(2, 30);
        c.commit();
        assertThat(countAndSum(st, t)).containsExactly(2, 30);
      } finally {
        c.setAutoCommit(true);
        st.execute("DROP TABLE " + t);
      }
    }
  }

  @Test
  void analyzeOfADataChangeInsideTheCallersDuckdbTransactionIsRefusedForWantOfSavepoints()
      throws Exception {
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t AS SELECT range AS id, range AS v FROM range(1, 101)");
      c.setAutoCommit(false);
      DataSource shared = SharedConnection.dataSource(c);
      assertThatThrownBy(() -> Explain.explain(shared, "DELETE FROM t", true))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DELETE")
          .hasMessageContaining("savepoint");
      assertThat(Explain.explain(shared, "SELECT * FROM t WHERE v > 50", true).raw()).isNotBlank();
      assertThat(countAndSum(st, "t")).containsExactly(100, 5050);
      c.commit();
    }
  }

  @Test
  void postgresDataModifyingCteIsRolledBack() throws Exception {
    DataSource ds = BatchWriterTest.dataSource("postgres");
    String t = "pkj_explain_cte_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100_000;
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + t + " AS SELECT g AS id, g AS v FROM generate_series(1, 100) g");
      try {
        Explain.explain(ds, "WITH d AS (DELETE FROM " + t + " RETURNING *) SELECT count(*) FROM d", true);
        assertThat(countAndSum(st, t)).containsExactly(100, 5050);
      } finally {
        st.execute("DROP TABLE " + t);
      }
    }
  }
}
