package io.github.perfkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TimedDataSourceTest {

  private static void setUp(DataSource ds, String table) throws SQLException {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + table);
      st.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name VARCHAR(20))");
    }
    BatchWriter.<Long>builder(ds, "INSERT INTO " + table + " (id, name) VALUES (?, ?)",
        (ps, id) -> { ps.setLong(1, id); ps.setString(2, "n" + id); }).build()
        .write(LongStream.range(0, 1_000).boxed());
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres", "mariadb"})
  void nPlusOneAssertionCatchesTheLoopAndPassesTheChunkedInForm(String db) throws Exception {
    DataSource raw = BatchWriterTest.dataSource(db);
    String table = "pkj_nplus1_" + db;
    setUp(raw, table);
    List<String> slow = new ArrayList<>();
    TimedDataSource timed = TimedDataSource.builder(raw).slowThreshold(Duration.ZERO)
        .slowLog(slow::add).build();
    List<Long> keys = LongStream.range(0, 300).boxed().toList();

    Runnable loop = () -> {
      try (Connection c = timed.getConnection()) {
        for (long k : keys) {
          try (PreparedStatement ps = c.prepareStatement("SELECT name FROM " + table + " WHERE id = ?")) {
            ps.setLong(1, k);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
            }
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    };
    assertThatThrownBy(() -> timed.assertAtMost(5, loop))
        .isInstanceOf(AssertionError.class).hasMessageContaining("ran 300");

    List<String> names = new ArrayList<>();
    timed.assertAtMost(3, () -> names.addAll(KeyFetcher.fetch(timed, table, "id",
        List.of("name"), keys, 100, rs -> rs.getString(1))));
    assertThat(names).hasSize(300);

    assertThat(timed.recorders()).containsKey("SELECT name FROM " + table + " WHERE id = ?");
    assertThat(timed.recorders().get("SELECT name FROM " + table + " WHERE id = ?").snapshot().count())
        .isEqualTo(300);
    assertThat(timed.recorders()).containsKey("SELECT name FROM " + table + " WHERE id IN (?)");
    assertThat(slow).isNotEmpty().allSatisfy(line -> assertThat(line).doesNotContain("'"));
  }

  @Test
  void literalsNeverReachShapesOrTheSlowLog() throws Exception {
    DataSource raw = BatchWriterTest.dataSource("h2");
    setUp(raw, "pkj_lit");
    List<String> slow = new ArrayList<>();
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    TimedDataSource timed = TimedDataSource.builder(raw).slowThreshold(Duration.ZERO)
        .slowLog(slow::add).build();
    timed.metrics().bindTo(registry);
    try (Connection c = timed.getConnection(); Statement st = c.createStatement()) {
      st.executeQuery("SELECT name FROM pkj_lit WHERE name = 'secret-password' AND id IN (1, 2, 3)").close();
      st.executeQuery("SELECT name FROM pkj_lit WHERE name = 'other' AND id IN (4)").close();
    }
    assertThat(timed.recorders()).containsOnlyKeys("SELECT name FROM pkj_lit WHERE name = ? AND id IN (?)");
    assertThat(String.join("\n", slow)).doesNotContain("secret").doesNotContain("other");
    assertThat(registry.getMeters()).isNotEmpty().allSatisfy(m -> assertThat(m.getId().getTags().toString())
        .doesNotContain("secret").doesNotContain("other"));
    assertThat(registry.get("perfkit.jdbc.statement").tag("datasource", "default")
        .tag("shape", "SELECT name FROM pkj_lit WHERE name = ? AND id IN (?)").functionTimer().count())
        .isEqualTo(2);
  }

  /** Secrets planted in every literal and comment form; none may appear in perfkit's output. */
  static final List<String> SECRETS = List.of("hunter2", "31337", "68756e", "0110100001110101");

  static List<String> plantedSecrets(String db) {
    if (db.equals("postgres")) {
      return List.of(
          "SELECT 'hunter2' AS a",
          "SELECT 'it''s hunter2' AS a",
          "SELECT 'C:\\' AS a, 'hunter2' AS b",
          "SELECT E'it\\'s hunter2' AS a",
          "SELECT $$hunter2 'quoted'$$ AS a",
          "SELECT $tag$hunter2 $$ ' $tag$ AS a",
          "SELECT U&'hunter2' AS a, N'hunter2' AS b",
          "SELECT 'hun'\n'ter2' AS a",
          "SELECT 1 AS a /* hunter2 */",
          "SELECT 1 AS a /* outer /* hunter2 */ still hunter2 's */",
          "SELECT 1 AS a -- hunter2",
          "SELECT -31337 AS a, 31337.25 AS b, 3.1337e5 AS c, .31337 AS d",
          "SELECT X'31337' AS a, B'0110100001110101' AS b",
          "SELECT 1 AS a WHERE 'hunter2' IN ('hunter2', 'x') AND 31337 = ANY(ARRAY[31337, 2])",
          "SELECT * FROM (VALUES (1, 'hunter2'), (2, 'x')) v(a, b)");
    }
    return List.of(
        "SELECT 'hunter2' AS a",
        "SELECT 'it''s hunter2' AS a",
        "SELECT 'it\\'s hunter2' AS a",
        "SELECT 'ends in \\\\' AS a, 'hunter2' AS b",
        "SELECT \"hunter2\" AS a",
        "SELECT \"say \\\"hunter2\\\"\" AS a, \"it''s\" AS b",
        "SELECT 1 AS a # hunter2",
        "SELECT 1 AS a -- hunter2",
        "SELECT 1 AS a /* hunter2 */",
        "SELECT /*+ hunter2 */ 1 AS a",
        "SELECT x'68756e74657232' AS a, 0x68756e74657232 AS b, b'0110100001110101' AS c",
        "SELECT _utf8mb4'hunter2' AS a, N'hunter2' AS b",
        "SELECT -31337 AS a, 31337.25 AS b, 3.1337e4 AS c",
        "SELECT 1 AS a FROM dual WHERE 'hunter2' IN ('hunter2', 'x')",
        "SELECT * FROM (VALUES (1, 'hunter2'), (2, 'x')) AS v");
  }

  /** A failing statement whose driver error quotes the secret. */
  static String failingWithSecret(String db) {
    return db.equals("postgres") ? "SELECT 'hunter2'::int" : "SELECT 1 FROMM t WHERE a = 'hunter2'";
  }

  /**
   * Issue 12 item 9: every literal and comment form, run against the real server, leaves no trace in
   * a meter tag, a slow-log line or a perfkit exception message.
   */
  @ParameterizedTest
  @ValueSource(strings = {"postgres", "mariadb"})
  void noLiteralOrCommentReachesAMeterTagALogLineOrAPerfkitExceptionMessage(String db)
      throws Exception {
    DataSource raw = BatchWriterTest.dataSource(db);
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    TimedDataSource timed = TimedDataSource.builder(raw).slowThreshold(Duration.ZERO)
        .build(); // the default slow log: System.Logger -> JUL
    timed.metrics().bindTo(registry);
    List<String> statements = plantedSecrets(db);
    try (CapturedLog log = new CapturedLog("io.github.perfkit")) {
      try (Connection c = timed.getConnection()) {
        for (String sql : statements) {
          try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
          }
          try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).as(sql).isTrue();
          }
        }
      }
      assertThat(log.lines()).hasSizeGreaterThanOrEqualTo(2 * statements.size());
      for (String secret : SECRETS) {
        assertThat(timed.recorders().keySet()).allSatisfy(shape -> assertThat(shape).doesNotContain(secret));
        assertThat(registry.getMeters()).isNotEmpty().allSatisfy(m ->
            assertThat(m.getId().getTags().toString() + m.getId().getName()).doesNotContain(secret));
        assertThat(log.lines()).allSatisfy(line -> assertThat(line).doesNotContain(secret));
      }

      // perfkit's own exceptions about statements whose driver errors quote the secret
      String bad = failingWithSecret(db);
      List<Throwable> thrown = new ArrayList<>();
      thrown.add(catchThrowable(() -> Explain.explain(timed, bad, false)));
      thrown.add(catchThrowable(() -> StreamingQuery.builder(timed, bad, rs -> 1).build().stream()));
      thrown.add(catchThrowable(() -> KeyFetcher.fetch(timed, "t WHERE p = 'hunter2'", "id",
          List.of("a"), List.of(1), 10, rs -> 1)));
      String table = "pkj_secret_" + db + "_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100_000;
      try (Connection c = raw.getConnection(); Statement st = c.createStatement()) {
        st.execute("CREATE TABLE " + table + " (id VARCHAR(40) PRIMARY KEY, v VARCHAR(40))");
        try {
          for (boolean bulk : new boolean[] {true, false}) {
            thrown.add(catchThrowable(() -> BatchWriter.<Long>builder(timed,
                "INSERT INTO " + table + " (id, v) VALUES (?, ?)", (ps, i) -> {
                  ps.setString(1, "hunter2-" + (i == 456 ? 5 : i));
                  ps.setString(2, "hunter2-" + i);
                }).bulkPaths(bulk).build().write(LongStream.range(0, 1_000).boxed())));
          }
        } finally {
          st.execute("DROP TABLE " + table);
        }
      }
      assertThat(thrown).hasSize(5).doesNotContainNull();
      for (Throwable t : thrown) {
        if (!(t instanceof IllegalArgumentException)) {
          assertThat(t.getCause()).as("the driver's exception stays available as the cause").isNotNull();
        }
        for (String secret : SECRETS) {
          assertThat(t.getMessage()).as(t.toString()).doesNotContain(secret);
          assertThat(t.toString()).doesNotContain(secret);
        }
      }

      for (String secret : SECRETS) {
        assertThat(registry.getMeters()).allSatisfy(m ->
            assertThat(m.getId().getTags().toString()).doesNotContain(secret));
        assertThat(log.lines()).allSatisfy(line -> assertThat(line).doesNotContain(secret));
      }
    }
  }

  /** Issue 12 item 9: SQL that carries literals makes every text new; the shape cache stays bounded. */
  @Test
  void theShapeCacheStaysAtItsBoundWhen100000DistinctLiteralStatementsRun() throws Exception {
    TimedDataSource timed = TimedDataSource.builder(BatchWriterTest.dataSource("h2")).build();
    try (Connection c = timed.getConnection(); Statement st = c.createStatement()) {
      for (int i = 0; i < 100_000; i++) {
        st.execute("SELECT 'secret-" + i + "'");
        assertThat(timed.shapeCacheSize()).isLessThanOrEqualTo(TimedDataSource.SHAPE_CACHE_SIZE);
      }
    }
    assertThat(timed.shapeCacheSize()).isPositive();
    assertThat(timed.recorders()).containsOnlyKeys("SELECT ?");
    assertThat(timed.recorders().get("SELECT ?").snapshot().count()).isEqualTo(100_000);
  }

  /**
   * Issue 12 item 9: at most maxShapes shapes become meter tags; statements of further shapes are
   * counted under "other", exactly, from many threads at once.
   */
  @Test
  void shapesBeyondMaxShapesAreTimedUnderOtherWithExactCountsFromManyThreads() throws Exception {
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    TimedDataSource timed = TimedDataSource.builder(BatchWriterTest.dataSource("h2")).maxShapes(100)
        .build();
    timed.metrics().bindTo(registry);
    int threads = 8;
    int perThread = 250;
    try (CapturedLog log = new CapturedLog("io.github.perfkit.jdbc")) {
      var start = new java.util.concurrent.CountDownLatch(1);
      var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          start.await();
          try (Connection c = timed.getConnection(); Statement st = c.createStatement()) {
            for (int i = 0; i < perThread; i++) {
              st.execute("SELECT 1 AS c_" + thread + "_" + i); // a distinct shape each time
              st.execute("SELECT 1 AS c_" + thread + "_" + i); // and the same one again
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (var f : done) {
        f.get();
      }
      pool.shutdown();
      assertThat(timed.recorders()).hasSize(101).containsKey(TimedDataSource.OTHER_SHAPE);
      long named = timed.recorders().entrySet().stream()
          .filter(e -> !e.getKey().equals(TimedDataSource.OTHER_SHAPE))
          .mapToLong(e -> e.getValue().snapshot().count()).sum();
      long other = timed.recorders().get(TimedDataSource.OTHER_SHAPE).snapshot().count();
      assertThat(named).isEqualTo(2 * 100);
      assertThat(other).isEqualTo(2L * threads * perThread - 2 * 100);
      assertThat(registry.find("perfkit.jdbc.statement").functionTimers()).hasSize(101);
      assertThat(registry.get("perfkit.jdbc.statement").tag("shape", TimedDataSource.OTHER_SHAPE)
          .functionTimer().count()).isEqualTo(other);
      assertThat(log.lines()).filteredOn(l -> l.contains("maxShapes=100")).hasSize(1);
    }
    assertThatThrownBy(() -> TimedDataSource.builder(BatchWriterTest.dataSource("h2")).maxShapes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxShapes must be positive but was 0");
  }

  /** Captures what perfkit logs through System.Logger (which reaches java.util.logging). */
  static final class CapturedLog extends java.util.logging.Handler implements AutoCloseable {
    private final java.util.logging.Logger logger; // held: JUL keeps loggers weakly
    private final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());

    CapturedLog(String name) {
      logger = java.util.logging.Logger.getLogger(name);
      setLevel(java.util.logging.Level.ALL);
      logger.addHandler(this);
    }

    List<String> lines() {
      synchronized (lines) {
        return List.copyOf(lines);
      }
    }

    @Override
    public void publish(java.util.logging.LogRecord record) {
      String text = new java.util.logging.SimpleFormatter().formatMessage(record);
      lines.add(record.getLoggerName() + " " + record.getLevel() + " " + text
          + (record.getThrown() != null ? " " + record.getThrown() : ""));
    }

    @Override
    public void flush() { }

    @Override
    public void close() {
      logger.removeHandler(this);
    }
  }

  @Test
  void keyFetcherRejectsNonPlainIdentifiers() {
    DataSource ds = BatchWriterTest.dataSource("h2");
    assertThatThrownBy(() -> KeyFetcher.fetch(ds, "t; DROP TABLE x", "id", List.of("a"), List.of(1), 10, rs -> 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("table must be a plain");
    assertThatThrownBy(() -> KeyFetcher.fetch(ds, "t", "id", List.of("a"), List.of(1), 0, rs -> 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("chunkSize must be > 0 but was 0");
  }

  @Test
  void shapesSeenBeforeAndAfterBindingArePublishedWithTheBindersTagsAndTheDataSourcesName()
      throws Exception {
    TimedDataSource timed = TimedDataSource.builder(BatchWriterTest.dataSource("h2"))
        .name("orders-db").build();
    try (Connection c = timed.getConnection(); Statement st = c.createStatement()) {
      st.execute("SELECT 1 AS before_binding");
      var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
      timed.metrics().tags("service", "orders").bindTo(registry);
      st.execute("SELECT 1 AS after_binding");
      assertThat(registry.find("perfkit.jdbc.statement").functionTimers())
          .extracting(t -> t.getId().getTag("shape"))
          .containsExactlyInAnyOrder("SELECT ? AS before_binding", "SELECT ? AS after_binding");
      assertThat(registry.find("perfkit.jdbc.statement").functionTimers()).allSatisfy(t -> {
        assertThat(t.getId().getTag("datasource")).isEqualTo("orders-db");
        assertThat(t.getId().getTag("service")).isEqualTo("orders");
      });
      assertThat(registry.find("perfkit.latency").meters()).isEmpty();
    }
    assertThatThrownBy(() -> TimedDataSource.builder(BatchWriterTest.dataSource("h2")).name(" "))
        .hasMessageContaining("name");
  }
}
