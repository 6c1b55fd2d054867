package io.github.perfkit.junit;

import static io.github.perfkit.junit.SqlAssert.assertThatSql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.perfkit.jdbc.TimedDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/** {@code assertThatSql} and {@code @SqlBudget} on an N+1 loop run across 4 threads (H2). */
class SqlBudgetTest {

  static final TimedDataSource DB = database();

  static TimedDataSource database() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:pkj_sqlbudget_junit;DB_CLOSE_DELAY=-1");
    try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, customer INT)");
      s.execute("CREATE TABLE IF NOT EXISTS lines (id INT PRIMARY KEY, order_id INT)");
      s.execute("CREATE TABLE IF NOT EXISTS audit (n INT)");
      s.execute("MERGE INTO orders KEY (id) VALUES (1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3),"
          + " (7, 4), (8, 4)");
      s.execute("MERGE INTO lines KEY (id) VALUES (1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 6),"
          + " (7, 7), (8, 8)");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return TimedDataSource.builder(h2).build();
  }

  /** The service under test: per customer, its orders, then each order's lines (N+1). */
  static final class Orders {
    static int nPlusOne(int customer) throws SQLException {
      List<Integer> ids = new ArrayList<>();
      try (Connection c = DB.getConnection();
          PreparedStatement ps = c.prepareStatement("SELECT id FROM orders WHERE customer = ?")) {
        ps.setInt(1, customer);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getInt(1));
          }
        }
      }
      int n = 0;
      for (int id : ids) {
        n += linesOf(id);
      }
      return n;
    }

    static int linesOf(int order) throws SQLException {
      try (Connection c = DB.getConnection();
          PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM lines WHERE order_id = ?")) {
        ps.setInt(1, order);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    }

    static int joined(List<Integer> customers) throws SQLException {
      try (Connection c = DB.getConnection(); PreparedStatement ps = c.prepareStatement(
          "SELECT count(*) FROM orders o JOIN lines l ON l.order_id = o.id WHERE o.customer IN ("
              + customers.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")")) {
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    }

    static void auditOneByOne(int rows) throws SQLException {
      try (Connection c = DB.getConnection()) {
        for (int i = 0; i < rows; i++) {
          c.createStatement().executeUpdate("INSERT INTO audit VALUES (" + i + ")");
        }
      }
    }
  }

  /** Customers 1..4, each on its own thread of a 4-thread pool, waited for. */
  static void acrossFourThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> f = new ArrayList<>();
      for (int customer = 1; customer <= 4; customer++) {
        int c = customer;
        f.add(pool.submit(() -> Orders.nPlusOne(c)));
      }
      for (Future<Integer> x : f) {
        assertThat(x.get()).isEqualTo(2);
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void quickStart() throws Exception {
    // README: SQL budgets
    assertThatSql(() -> Orders.joined(List.of(1, 2, 3, 4)))
        .hasSelects(1).hasNoDuplicateSelects().usesBatching();
  }

  @Test
  void anNPlusOneAcrossFourThreadsFailsNamingTheShapeAndTheMethodThatIssuesIt() {
    assertThatThrownBy(() -> assertThatSql(SqlBudgetTest::acrossFourThreads).hasSelects(4))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected 4 SELECT but the block ran 12 (an N+1 pattern?)")
        .hasMessageContaining("8 x SELECT count(*) FROM lines WHERE order_id = ? from"
            + " SqlBudgetTest$Orders.linesOf(SqlBudgetTest.java:")
        .hasMessageContaining("4 x SELECT id FROM orders WHERE customer = ? from"
            + " SqlBudgetTest$Orders.nPlusOne(SqlBudgetTest.java:");
    assertThatThrownBy(() -> assertThatSql(DB, SqlBudgetTest::acrossFourThreads)
        .hasNoDuplicateSelects())
        .hasMessageContaining("expected no SELECT to run twice but 2 did")
        .hasMessageContaining("SqlBudgetTest$Orders.linesOf(");
  }

  @Test
  void unbatchedWritesFailUsesBatchingWithoutTheirLiterals() {
    assertThatThrownBy(() -> assertThatSql(() -> Orders.auditOneByOne(3)).hasInserts(3)
        .usesBatching())
        .hasMessageContaining("3 x INSERT INTO audit VALUES (?) from SqlBudgetTest$Orders.auditOneByOne(")
        .hasMessageNotContaining("VALUES (2)");
  }

  @Test
  void badArgumentsAreNamed() {
    assertThatThrownBy(() -> assertThatSql((io.github.perfkit.core.CheckedRunnable<Exception>) null))
        .isInstanceOf(NullPointerException.class).hasMessage("block must not be null");
    assertThatThrownBy(() -> assertThatSql(() -> { }).hasSelects(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected");
  }

  /** Run by the engine test kit below, not directly. */
  static class Budgets {
    @Test
    @SqlBudget(select = 12, insert = 0)
    void exactAcrossFourThreads() throws Exception {
      acrossFourThreads();
    }

    @Test
    @SqlBudget(select = 4)
    void overBudget() throws Exception {
      acrossFourThreads();
    }

    @Test
    @SqlBudget(select = 1, noDuplicateSelects = true, batching = true)
    void fixed() throws Exception {
      Orders.joined(List.of(1, 2, 3, 4));
    }

    @Test
    @SqlBudget(select = 12, noDuplicateSelects = true)
    void duplicates() throws Exception {
      acrossFourThreads();
    }

    @Test
    @SqlBudget(select = 0)
    void ownFailureComesFirst() {
      throw new IllegalStateException("the test's own");
    }
  }

  @Test
  void sqlBudgetAnnotationChecksTheMethodAcrossItsThreads() {
    Map<String, Throwable> failures = new java.util.HashMap<>();
    List<String> passed = new ArrayList<>();
    EngineTestKit.engine("junit-jupiter")
        .configurationParameter("junit.jupiter.conditions.deactivate", "*")
        .selectors(selectClass(Budgets.class)).execute().allEvents()
        .filter(e -> e.getType() == EventType.FINISHED).forEach((Event e) -> {
          String name = e.getTestDescriptor().getDisplayName();
          e.getPayload(org.junit.platform.engine.TestExecutionResult.class).ifPresent(r -> {
            if (r.getThrowable().isPresent()) {
              failures.put(name, r.getThrowable().get());
            } else if (e.getTestDescriptor().isTest()) {
              passed.add(name);
            }
          });
        });
    assertThat(passed).containsExactlyInAnyOrder("exactAcrossFourThreads()", "fixed()");
    assertThat(failures.get("overBudget()")).hasMessageContaining("expected 4 SELECT but the block ran 12")
        .hasMessageContaining("SqlBudgetTest$Orders.linesOf(");
    assertThat(failures.get("duplicates()")).hasMessageContaining("expected no SELECT to run twice");
    assertThat(failures.get("ownFailureComesFirst()")).isInstanceOf(IllegalStateException.class);
  }
}
