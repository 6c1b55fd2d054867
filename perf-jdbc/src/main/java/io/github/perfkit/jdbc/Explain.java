package io.github.perfkit.jdbc;

import io.github.perfkit.jdbc.QueryPlan.Finding;
import io.github.perfkit.jdbc.QueryPlan.Kind;
import io.github.perfkit.jdbc.QueryPlan.Node;
import io.github.perfkit.core.internal.JsonReader;
import io.github.perfkit.jdbc.internal.SqlDialect;
import io.github.perfkit.jdbc.internal.SqlShapes;
import io.github.perfkit.jdbc.internal.SqlStatements;
import io.github.perfkit.jdbc.internal.SqlStatements.Classification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Explains a query on PostgreSQL ({@code EXPLAIN (FORMAT JSON)}), MariaDB ({@code EXPLAIN
 * FORMAT=JSON}), DuckDB and H2 (text plans) into one {@link QueryPlan} with findings.
 *
 * <pre>{@code
 * QueryPlan plan = Explain.explain(dataSource, "SELECT * FROM orders WHERE customer = ?", false, 42);
 * plan.findings().forEach(f -> System.out.println(f.message()));
 * }</pre>
 *
 * <p><b>Analyze never changes data.</b> With {@code analyze} the database runs the statement to
 * measure it ({@code EXPLAIN ANALYZE}, MariaDB's {@code ANALYZE}), so perfkit runs it inside a
 * transaction that is always rolled back (autocommit off, then rollback and autocommit restored; in
 * a transaction the caller already has open, rolled back to a savepoint, which keeps the caller's
 * own work). What a rollback cannot undo is refused with an {@link IllegalArgumentException} that
 * names the statement's kind (never its literals):
 * <ul>
 *   <li>data changes ({@code INSERT}, {@code UPDATE}, {@code DELETE}, {@code MERGE}, a query with a
 *       data-modifying {@code WITH}) are analyzed on PostgreSQL, H2 and DuckDB, whose rollback was
 *       verified to undo them, and refused on MariaDB/MySQL (MyISAM, Aria and MEMORY tables, and
 *       what triggers write into them, ignore a rollback) and on other databases;
 *   <li>anything that is neither a query nor a data change (DDL such as {@code CREATE TABLE ... AS},
 *       {@code SELECT ... INTO}, which on MariaDB writes a file on the server) is refused;
 *   <li>inside the caller's open transaction on a database without savepoints (DuckDB), only
 *       queries are analyzed.
 * </ul>
 * Text holding more than one statement is refused with or without analyze. Not undone by any
 * rollback: sequence increments ({@code nextval}, identity columns of an analyzed {@code INSERT}),
 * and effects outside the database that a function called by the statement may have.
 *
 * <p>Stateless and thread-safe. Cost: one planning round trip (plus the statement's own run with
 * analyze).
 */
public final class Explain {

  /** Tables with at least this many rows are "large" for the sequential-scan finding. */
  static final double LARGE_TABLE_ROWS = 10_000;

  private Explain() {}

  /**
   * Explains {@code sql} with {@code params} bound.
   *
   * @param dataSource where the connection comes from
   * @param sql one statement, with {@code ?} parameters
   * @param analyze run the statement, inside a transaction that is rolled back, for actual rows
   *     and times
   * @param params parameter values
   * @return the plan
   * @throws IllegalArgumentException if {@code sql} holds more than one statement, or if
   *     {@code analyze} is asked for a statement the database cannot roll back (see above)
   * @throws UncheckedSqlException when the database rejects the statement
   */
  public static QueryPlan explain(DataSource dataSource, String sql, boolean analyze, Object... params) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(params, "params");
    try (Connection c = dataSource.getConnection()) {
      String product = c.getMetaData().getDatabaseProductName();
      SqlDialect dialect = SqlDialect.forProduct(product);
      Classification statement = SqlStatements.classify(sql, dialect);
      if (statement.statements() > 1) {
        throw new IllegalArgumentException("sql must hold one statement but holds "
            + statement.statements() + ": explain never runs a second statement");
      }
      if (!analyze) {
        return plan(c, product, dialect, sql, false, params);
      }
      refuseWhatCannotBeRolledBack(product, dialect, statement);
      return inRolledBackTransaction(c, product, statement,
          () -> plan(c, product, dialect, sql, true, params));
    } catch (SQLException e) {
      throw new UncheckedSqlException("explain failed", e);
    }
  }

  private static void refuseWhatCannotBeRolledBack(String product, SqlDialect dialect,
      Classification statement) {
    String refused = "analyze would run the " + statement.keyword() + " statement for real";
    String instead = ": explain it without analyze, or analyze the equivalent SELECT";
    if (statement.kind() == SqlStatements.Kind.OTHER) {
      throw new IllegalArgumentException(refused + ", and analyze runs only queries and data "
          + "changes, which a rollback undoes" + instead);
    }
    if (statement.kind() == SqlStatements.Kind.DATA_CHANGE) {
      if (dialect == SqlDialect.MYSQL) {
        throw new IllegalArgumentException(refused + " on " + product + ", where a rollback does "
            + "not undo it for every table (MyISAM, Aria and MEMORY tables, and what triggers write "
            + "into them, ignore a rollback)" + instead);
      }
      if (dialect == SqlDialect.GENERIC) {
        throw new IllegalArgumentException(refused + " on " + product + ", where perfkit has not "
            + "verified that a rollback undoes it" + instead);
      }
    }
  }

  /** A step that may fail with the driver's exception. */
  private interface Work {
    QueryPlan run() throws SQLException;
  }

  /**
   * Runs {@code work} so that whatever it changes is rolled back: in a transaction of its own when
   * the connection is in autocommit, else back to a savepoint in the caller's transaction.
   */
  private static QueryPlan inRolledBackTransaction(Connection c, String product,
      Classification statement, Work work) throws SQLException {
    boolean auto = c.getAutoCommit();
    Savepoint savepoint = null;
    if (auto) {
      c.setAutoCommit(false);
    } else {
      try {
        savepoint = c.setSavepoint();
      } catch (SQLException e) {
        if (statement.kind() != SqlStatements.Kind.QUERY) {
          throw new IllegalArgumentException("analyze would run the " + statement.keyword()
              + " statement inside the caller's open transaction, and " + product + " has no "
              + "savepoint to roll back only that statement: explain it without analyze, or from "
              + "a connection in autocommit mode");
        }
      }
    }
    QueryPlan plan;
    try {
      plan = work.run();
    } catch (SQLException | RuntimeException | Error e) {
      undo(c, auto, savepoint, e);
      throw e;
    }
    undo(c, auto, savepoint, null);
    return plan;
  }

  private static void undo(Connection c, boolean auto, Savepoint savepoint, Throwable primary)
      throws SQLException {
    try {
      if (savepoint != null) {
        c.rollback(savepoint);
        c.releaseSavepoint(savepoint);
      } else if (auto) {
        c.rollback();
      }
    } catch (SQLException e) {
      // autocommit stays off: turning it on now could commit what the rollback did not undo;
      // the connection is closed next, and closing it abandons the transaction
      if (primary == null) {
        throw e;
      }
      primary.addSuppressed(e);
      return;
    }
    if (auto) {
      c.setAutoCommit(true);
    }
  }

  private static QueryPlan plan(Connection c, String product, SqlDialect dialect, String sql,
      boolean analyze, Object[] params) throws SQLException {
    return switch (dialect) {
      case POSTGRESQL -> postgres(c, product, dialect, sql, analyze, params);
      case MYSQL -> mariadb(c, product, dialect, sql, analyze, params);
      default -> text(c, product, sql, analyze, params);
    };
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

  private static QueryPlan postgres(Connection c, String product, SqlDialect dialect, String sql,
      boolean analyze, Object[] params) throws SQLException {
    String raw = run(c, "EXPLAIN (FORMAT JSON" + (analyze ? ", ANALYZE, BUFFERS" : "") + ") " + sql,
        params);
    List<?> top = (List<?>) JsonReader.parse(raw);
    Map<?, ?> plan = (Map<?, ?>) ((Map<?, ?>) top.get(0)).get("Plan");
    List<Finding> findings = new ArrayList<>();
    Node root = pgNode(plan, dialect, findings);
    return new QueryPlan(product, root, raw, findings);
  }

  private static double num(Map<?, ?> m, String k) {
    Object v = m.get(k);
    return v instanceof Double d ? d : -1;
  }

  private static Node pgNode(Map<?, ?> m, SqlDialect dialect, List<Finding> findings) {
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
            + SqlShapes.shape(filter, dialect) + ": consider an index on the filtered column(s)"));
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
        children.add(pgNode((Map<?, ?>) o, dialect, findings));
      }
    }
    String detail = filter != null ? filter : (String) m.get("Index Cond");
    return new Node(op, rel, est, act, num(m, "Total Cost"), detail, children);
  }

  private static QueryPlan mariadb(Connection c, String product, SqlDialect dialect, String sql,
      boolean analyze, Object[] params) throws SQLException {
    String raw = run(c, (analyze ? "ANALYZE FORMAT=JSON " : "EXPLAIN FORMAT=JSON ") + sql, params);
    List<Finding> findings = new ArrayList<>();
    List<Node> tables = new ArrayList<>();
    collectMariaTables(JsonReader.parse(raw), dialect, tables, findings);
    Node root = new Node("query_block", null, -1, -1, -1, null, tables);
    return new QueryPlan(product, root, raw, findings);
  }

  private static void collectMariaTables(Object json, SqlDialect dialect, List<Node> out,
      List<Finding> findings) {
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
              + (long) est + " rows, " + filtered + "% kept) under " + SqlShapes.shape(cond, dialect)
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
          collectMariaTables(e.getValue(), dialect, out, findings);
        }
      }
    } else if (json instanceof List<?> l) {
      for (Object o : l) {
        collectMariaTables(o, dialect, out, findings);
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
