package io.github.perfkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.perfkit.testkit.LoopbackServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16 item 3's figure: exact SQL counts on PostgreSQL, MariaDB, DuckDB and H2, for a JPA-free
 * N+1 example run across 4 threads, directly and through HikariCP, and a statement seen by two
 * wrappers counted once.
 */
class SqlBudgetFigureTest {

  static final int THREADS = 4;
  static final int ORDERS_PER_CUSTOMER = 5;
  static final int LINES_PER_ORDER = 3;

  /** A plain-JDBC service with the classic N+1 and its fix. */
  record OrderService(DataSource ds) {

    /** One query for the orders, then one per order for its lines: the N+1. */
    int linesNPlusOne(int customer) throws SQLException {
      List<Integer> orders = new ArrayList<>();
      try (Connection c = ds.getConnection();
          PreparedStatement ps = c.prepareStatement(
              "SELECT id FROM sqlb_orders WHERE customer = ? ORDER BY id")) {
        ps.setInt(1, customer);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            orders.add(rs.getInt(1));
          }
        }
      }
      int lines = 0;
      for (int order : orders) {
        lines += linesOf(order);
      }
      return lines;
    }

    /** The query per item. */
    int linesOf(int order) throws SQLException {
      try (Connection c = ds.getConnection();
          PreparedStatement ps = c.prepareStatement(
              "SELECT count(*) FROM sqlb_lines WHERE order_id = ?")) {
        ps.setInt(1, order);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    }

    /** The fix: one join. */
    int linesJoined(int customer) throws SQLException {
      try (Connection c = ds.getConnection();
          PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM sqlb_orders o JOIN"
              + " sqlb_lines l ON l.order_id = o.id WHERE o.customer = ?")) {
        ps.setInt(1, customer);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    }

    /** Writes one row per statement: the write-side N+1. */
    void auditOneByOne(int customer, int rows) throws SQLException {
      try (Connection c = ds.getConnection()) {
        for (int i = 0; i < rows; i++) {
          try (PreparedStatement ps = c.prepareStatement(
              "INSERT INTO sqlb_audit (customer, n) VALUES (?, ?)")) {
            ps.setInt(1, customer);
            ps.setInt(2, i);
            ps.executeUpdate();
          }
        }
      }
    }

    /** The fix: one JDBC batch. */
    void auditBatched(int customer, int rows) throws SQLException {
      try (Connection c = ds.getConnection();
          PreparedStatement ps = c.prepareStatement(
              "INSERT INTO sqlb_audit (customer, n) VALUES (?, ?)")) {
        for (int i = 0; i < rows; i++) {
          ps.setInt(1, customer);
          ps.setInt(2, i);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  static DataSource raw(String db) throws SQLException {
    return switch (db) {
      case "h2" -> new BatchWriterTest.UrlDataSource("jdbc:h2:mem:pkj_sqlbudget;DB_CLOSE_DELAY=-1",
          "sa", "");
      case "duckdb" -> new BatchWriterTest.SingleConnectionDataSource(
          DriverManager.getConnection("jdbc:duckdb:"));
      default -> BatchWriterTest.dataSource(db);
    };
  }

  static void schema(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS sqlb_lines");
      s.execute("DROP TABLE IF EXISTS sqlb_orders");
      s.execute("DROP TABLE IF EXISTS sqlb_audit");
      s.execute("CREATE TABLE sqlb_orders (id INT PRIMARY KEY, customer INT NOT NULL)");
      s.execute("CREATE TABLE sqlb_lines (id INT PRIMARY KEY, order_id INT NOT NULL)");
      s.execute("CREATE TABLE sqlb_audit (customer INT NOT NULL, n INT NOT NULL)");
      int line = 0;
      for (int customer = 1; customer <= THREADS; customer++) {
        for (int o = 0; o < ORDERS_PER_CUSTOMER; o++) {
          int order = customer * 100 + o;
          s.execute("INSERT INTO sqlb_orders VALUES (" + order + ", " + customer + ")");
          for (int l = 0; l < LINES_PER_ORDER; l++) {
            s.execute("INSERT INTO sqlb_lines VALUES (" + line++ + ", " + order + ")");
          }
        }
      }
    }
  }

  interface PerCustomer {
    void run(OrderService service, int customer) throws Exception;
  }

  /** The block: 4 tasks on a 4-thread pool, one per customer, waited for. */
  static void acrossFourThreads(OrderService service, PerCustomer work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> tasks = new ArrayList<>();
      java.util.concurrent.CountDownLatch together = new java.util.concurrent.CountDownLatch(THREADS);
      for (int customer = 1; customer <= THREADS; customer++) {
        int c = customer;
        tasks.add(pool.submit(() -> {
          together.countDown();
          together.await(); // all four run at once, each on its own thread
          work.run(service, c);
          return null;
        }));
      }
      for (Future<?> f : tasks) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  static Set<String> threads(SqlLog log) {
    return log.statements().stream().map(SqlLog.Statement::thread).collect(Collectors.toSet());
  }

  static void assertFigure(TimedDataSource timed, boolean everywhere) throws Exception {
    OrderService service = new OrderService(timed);
    PerCustomerRecorder rec = work -> everywhere
        ? TimedDataSource.recordAll(() -> acrossFourThreads(service, work))
        : timed.record(() -> acrossFourThreads(service, work));

    SqlLog nPlusOne = rec.record((s, c) -> assertThat(s.linesNPlusOne(c))
        .isEqualTo(ORDERS_PER_CUSTOMER * LINES_PER_ORDER));
    assertThat(nPlusOne.selects()).isEqualTo(THREADS * (1 + ORDERS_PER_CUSTOMER)); // 24
    assertThat(nPlusOne.total()).isEqualTo(THREADS * (1 + ORDERS_PER_CUSTOMER));
    assertThat(threads(nPlusOne)).hasSize(THREADS);
    List<SqlLog.Repeat> repeats = nPlusOne.repeatedSelects();
    assertThat(repeats).hasSize(2);
    assertThat(repeats.get(0).shape()).isEqualTo("SELECT count(*) FROM sqlb_lines WHERE order_id = ?");
    assertThat(repeats.get(0).count()).isEqualTo(THREADS * ORDERS_PER_CUSTOMER); // 20
    assertThat(repeats.get(0).callers().keySet()).singleElement().asString()
        .startsWith("SqlBudgetFigureTest$OrderService.linesOf(SqlBudgetFigureTest.java:");

    SqlLog joined = rec.record((s, c) -> assertThat(s.linesJoined(c))
        .isEqualTo(ORDERS_PER_CUSTOMER * LINES_PER_ORDER));
    assertThat(joined.selects()).isEqualTo(THREADS); // 4: one per customer
    assertThat(joined.repeatedSelects()).singleElement().extracting(SqlLog.Repeat::count)
        .isEqualTo(THREADS); // the same query per customer, from the 4 tasks
    assertThat(threads(joined)).hasSize(THREADS);

    SqlLog oneByOne = rec.record((s, c) -> s.auditOneByOne(c, 10));
    assertThat(oneByOne.inserts()).isEqualTo(THREADS * 10);
    assertThat(oneByOne.selects()).isZero();
    assertThat(oneByOne.unbatchedWrites()).singleElement().satisfies(r -> {
      assertThat(r.count()).isEqualTo(40);
      assertThat(r.callers().keySet()).singleElement().asString()
          .startsWith("SqlBudgetFigureTest$OrderService.auditOneByOne(");
    });

    SqlLog batched = rec.record((s, c) -> s.auditBatched(c, 10));
    assertThat(batched.inserts()).isEqualTo(THREADS);
    assertThat(batched.statements()).allMatch(SqlLog.Statement::batch);
    assertThat(batched.unbatchedWrites()).isEmpty();
    System.out.printf("%s: N+1 %s; joined %s; one by one %s; batched %s%n",
        everywhere ? "recordAll" : "record", nPlusOne, joined, oneByOne, batched);
  }

  interface PerCustomerRecorder {
    SqlLog record(PerCustomer work) throws Exception;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"postgres", "mariadb", "duckdb", "h2"})
  void exactCountsOfAnNPlusOneAcrossFourThreads(String db) throws Exception {
    DataSource raw = raw(db);
    schema(raw);
    TimedDataSource timed = TimedDataSource.builder(raw).name(db).build();
    assertFigure(timed, false);
    assertFigure(timed, true);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"postgres", "mariadb", "duckdb", "h2"})
  void exactCountsThroughHikariWrappedTwiceCountEachStatementOnce(String db) throws Exception {
    DataSource raw = raw(db);
    schema(raw);
    // a TimedDataSource inside the pool (as a driver wrapper) and another outside it
    TimedDataSource inner = TimedDataSource.builder(raw).name(db + "-inner").build();
    HikariConfig config = new HikariConfig();
    config.setDataSource(inner);
    config.setMaximumPoolSize(THREADS);
    config.setPoolName("sqlb-" + db);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      TimedDataSource outer = TimedDataSource.builder(pool).name(db).build();
      assertFigure(outer, false);
      assertFigure(outer, true); // every TimedDataSource of the JVM: still once per statement
      SqlLog innerOnly = inner.record(() -> acrossFourThreads(new OrderService(outer),
          (s, c) -> s.linesNPlusOne(c)));
      assertThat(innerOnly.selects()).isEqualTo(THREADS * (1 + ORDERS_PER_CUSTOMER));
    }
  }

  @org.junit.jupiter.api.Test
  void aStatementBatchIsOneOtherEntryAndDdlIsOther() throws Exception {
    DataSource raw = raw("h2");
    schema(raw);
    TimedDataSource timed = TimedDataSource.builder(raw).build();
    SqlLog log = timed.record(() -> {
      try (Connection c = timed.getConnection(); Statement s = c.createStatement()) {
        s.addBatch("UPDATE sqlb_orders SET customer = 9 WHERE id = 100");
        s.addBatch("DELETE FROM sqlb_lines WHERE id = 1");
        s.executeBatch();
        s.executeUpdate("UPDATE sqlb_orders SET customer = 1 WHERE id = 100");
        s.executeUpdate("DELETE FROM sqlb_lines WHERE id = 2");
        s.execute("CREATE TABLE IF NOT EXISTS sqlb_tmp (x INT)");
      }
    });
    assertThat(log.statements()).extracting(SqlLog.Statement::kind).containsExactly(
        SqlLog.Kind.OTHER, SqlLog.Kind.UPDATE, SqlLog.Kind.DELETE, SqlLog.Kind.OTHER);
    assertThat(log.statements().get(1).shape()).isEqualTo("UPDATE sqlb_orders SET customer = ? WHERE id = ?");
    assertThat(log.toString()).isEqualTo("4 statements: 0 select, 0 insert, 1 update, 1 delete, 2 other");
    assertThat(LoopbackServices.class).isNotNull();
  }
}
