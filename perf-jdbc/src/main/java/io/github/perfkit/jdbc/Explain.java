package io.github.perfkit.jdbc;

import io.github.perfkit.jdbc.QueryPlan.Finding;
import io.github.perfkit.jdbc.QueryPlan.Kind;
import io.github.perfkit.jdbc.QueryPlan.Node;
import io.github.perfkit.core.internal.JsonReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Explains a query on PostgreSQL ({@code EXPLAIN (FORMAT JSON)}, optionally {@code ANALYZE} inside a
 * transaction that is always rolled back), MariaDB ({@code EXPLAIN FORMAT=JSON}), DuckDB and H2
 * (text plans) into one {@link QueryPlan} with findings.
 *
 * <pre>{@code
 * QueryPlan plan = Explain.explain(dataSource, "SELECT * FROM orders WHERE customer = ?", false, 42);
 * plan.findings().forEach(f -> System.out.println(f.message()));
 * }</pre>
 *
 * <p>Stateless and thread-safe. Cost: one planning round trip (plus the query's own run with analyze).
 */
public final class Explain {

  /** Tables with at least this many rows are "large" for the sequential-scan finding. */
  static final double LARGE_TABLE_ROWS = 10_000;

  private Explain() {}

  /**
   * Explains {@code sql} with {@code params} bound.
   *
   * @param dataSource where the connection comes from
   * @param sql the query, with {@code ?} parameters
   * @param analyze run the query (PostgreSQL: inside a rolled-back transaction) for actual rows
   * @param params parameter values
   * @return the plan
   * @throws UncheckedSqlException when the database rejects the statement
   */
  public static QueryPlan explain(DataSource dataSource, String sql, boolean analyze, Object... params) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(params, "params");
    try (Connection c = dataSource.getConnection()) {
      String product = c.getMetaData().getDatabaseProductName();
      String p = product.toLowerCase(Locale.ROOT);
      if (p.contains("postgres")) {
        return postgres(c, product, sql, analyze, params);
      }
      if (p.contains("mariadb") || p.contains("mysql")) {
        return mariadb(c, product, sql, analyze, params);
      }
      return text(c, product, sql, analyze, params);
    } catch (SQLException e) {
      throw new UncheckedSqlException("explain failed", e);
    }
  }

  private static String run(Connection c, String sql, Object[] params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      StringBuilder out = new StringBuilder();
      try (ResultSet rs = ps.executeQuery()) {
        int cols = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          out.append(rs.getString(cols)).append('\n');
        }
      }
      return out.toString();
    }
  }

  private static QueryPlan postgres(Connection c, String product, String sql, boolean analyze,
      Object[] params) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    String raw;
    try {
      raw = run(c, "EXPLAIN (FORMAT JSON" + (analyze ? ", ANALYZE, BUFFERS" : "") + ") " + sql, params);
    } finally {
      c.rollback();
      c.setAutoCommit(auto);
    }
    List<?> top = (List<?>) JsonReader.parse(raw);
    Map<?, ?> plan = (Map<?, ?>) ((Map<?, ?>) top.get(0)).get("Plan");
    List<Finding> findings = new ArrayList<>();
    Node root = pgNode(plan, findings);
    return new QueryPlan(product, root, raw, findings);
  }

  private static double num(Map<?, ?> m, String k) {
    Object v = m.get(k);
    return v instanceof Double d ? d : -1;
  }

  private static Node pgNode(Map<?, ?> m, List<Finding> findings) {
    String op = (String) m.get("Node Type");
    String rel = (String) m.get("Relation Name");
    double est = num(m, "Plan Rows");
    double act = num(m, "Actual Rows");
    double loops = num(m, "Actual Loops");
    if (act >= 0 && loops > 0) {
      act = act * loops;
      est = est * loops;
    }
    String filter = (String) m.get("Filter");
    double removed = num(m, "Rows Removed by Filter");
    if ("Seq Scan".equals(op) && filter != null) {
      double out = act >= 0 ? act : est;
      double scanned = removed >= 0 ? removed + Math.max(out, 0) : -1;
      boolean large = scanned >= LARGE_TABLE_ROWS || (removed < 0 && out >= 0);
      if (large && scanned > 0 && out / scanned < 0.05 || removed < 0 && est >= 0 && est < 100) {
        findings.add(new Finding(Kind.SEQUENTIAL_SCAN_SUGGEST_INDEX, "sequential scan of " + rel
            + " keeps " + (long) out + (scanned > 0 ? " of " + (long) scanned : "") + " rows under filter "
            + filter + ": consider an index on the filtered column(s)"));
      }
    }
    if (act >= 0 && est >= 0) {
      double hi = Math.max(act, est);
      double lo = Math.max(1, Math.min(act, est));
      if (hi / lo > 10 && hi >= 1_000) {
        findings.add(new Finding(Kind.ESTIMATE_FAR_FROM_ACTUAL, op + (rel != null ? " on " + rel : "")
            + " estimated " + (long) est + " rows but produced " + (long) act
            + ": run ANALYZE on the table or extend its statistics"));
      }
    }
    Object sortSpace = m.get("Sort Space Type");
    if ("Disk".equals(sortSpace) || num(m, "Disk Usage") > 0 || num(m, "Temp Written Blocks") > 0
        && ("Hash".equals(op) || "Sort".equals(op))) {
      findings.add(new Finding(Kind.SPILL_TO_DISK, op + " spilled to disk: raise work_mem for this query"
          + " or reduce its input"));
    }
    List<Node> children = new ArrayList<>();
    Object plans = m.get("Plans");
    if (plans instanceof List<?> l) {
      for (Object o : l) {
        children.add(pgNode((Map<?, ?>) o, findings));
      }
    }
    String detail = filter != null ? filter : (String) m.get("Index Cond");
    return new Node(op, rel, est, act, num(m, "Total Cost"), detail, children);
  }

  private static QueryPlan mariadb(Connection c, String product, String sql, boolean analyze,
      Object[] params) throws SQLException {
    String raw = run(c, (analyze ? "ANALYZE FORMAT=JSON " : "EXPLAIN FORMAT=JSON ") + sql, params);
    List<Finding> findings = new ArrayList<>();
    List<Node> tables = new ArrayList<>();
    collectMariaTables(JsonReader.parse(raw), tables, findings);
    Node root = new Node("query_block", null, -1, -1, -1, null, tables);
    return new QueryPlan(product, root, raw, findings);
  }

  private static void collectMariaTables(Object json, List<Node> out, List<Finding> findings) {
    if (json instanceof Map<?, ?> m) {
      Object t = m.get("table");
      if (t instanceof Map<?, ?> tm && tm.get("table_name") != null) {
        String access = String.valueOf(tm.get("access_type"));
        String name = (String) tm.get("table_name");
        double est = num(tm, "rows");
        double act = num(tm, "r_rows");
        double filtered = num(tm, "r_filtered") >= 0 ? num(tm, "r_filtered") : num(tm, "filtered");
        String cond = (String) tm.get("attached_condition");
        if ("ALL".equals(access) && cond != null && est >= LARGE_TABLE_ROWS && filtered >= 0
            && filtered < 5) {
          findings.add(new Finding(Kind.SEQUENTIAL_SCAN_SUGGEST_INDEX, "full scan of " + name + " ("
              + (long) est + " rows, " + filtered + "% kept) under " + cond
              + ": consider an index on the filtered column(s)"));
        }
        if (act >= 0 && est >= 0 && Math.max(act, est) / Math.max(1, Math.min(act, est)) > 10
            && Math.max(act, est) >= 1_000) {
          findings.add(new Finding(Kind.ESTIMATE_FAR_FROM_ACTUAL, name + " estimated " + (long) est
              + " rows but read " + (long) act + ": run ANALYZE TABLE " + name));
        }
        out.add(new Node(access, name, est, act, num(tm, "cost"), cond, List.of()));
      }
      if (String.valueOf(m.get("filesort")).contains("Disk") || m.containsKey("r_used_priority_queue")
          && Boolean.FALSE.equals(m.get("r_used_priority_queue")) && m.containsKey("r_output_rows")) {
        findings.add(new Finding(Kind.SPILL_TO_DISK, "filesort may have used disk"));
      }
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!"table".equals(e.getKey()) || !(e.getValue() instanceof Map<?, ?> tm && tm.get("table_name") != null)) {
          collectMariaTables(e.getValue(), out, findings);
        }
      }
    } else if (json instanceof List<?> l) {
      for (Object o : l) {
        collectMariaTables(o, out, findings);
      }
    }
  }

  private static QueryPlan text(Connection c, String product, String sql, boolean analyze,
      Object[] params) throws SQLException {
    String raw = run(c, (analyze ? "EXPLAIN ANALYZE " : "EXPLAIN ") + sql, params);
    List<Finding> findings = new ArrayList<>();
    String lower = raw.toLowerCase(Locale.ROOT);
    // H2 marks full scans as "/* PUBLIC.T.tableScan */"; DuckDB prints SEQ_SCAN or "Sequential Scan"
    // with a Filters section
    boolean fullScan = lower.contains("tablescan")
        || (lower.contains("seq_scan") || lower.contains("sequential scan")) && lower.contains("filters");
    if (fullScan && (lower.contains("where") || lower.contains("filters"))) {
      findings.add(new Finding(Kind.SEQUENTIAL_SCAN_SUGGEST_INDEX,
          "full table scan under a filter: consider an index on the filtered column(s)"));
    }
    return new QueryPlan(product, new Node(fullScan ? "Full Scan" : "Plan", null, -1, -1, -1, raw.strip(),
        List.of()), raw, findings);
  }
}
