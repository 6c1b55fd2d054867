package io.github.perfkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.jdbc.QueryPlan.Kind;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
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

  @org.junit.jupiter.api.Test
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
}
