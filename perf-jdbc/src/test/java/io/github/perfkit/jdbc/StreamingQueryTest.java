package io.github.perfkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.perfkit.jdbc.BatchWriterTest.UrlDataSource;
import io.github.perfkit.testkit.LoopbackServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamingQueryTest {

  static String millionRows(String db) {
    return switch (db) {
      case "h2" -> "SELECT X FROM SYSTEM_RANGE(1, ?)";
      case "duckdb" -> "SELECT range + 1 FROM range(?)";
      case "postgres" -> "SELECT g FROM generate_series(1, ?::bigint) g";
      case "mariadb" -> "SELECT seq FROM seq_1_to_1000000 WHERE seq <= ?";
      default -> throw new IllegalArgumentException(db);
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "duckdb", "postgres", "mariadb"})
  void streamsEveryRowInOrderAndClosesOnExhaustion(String db) {
    DataSource ds = BatchWriterTest.dataSource(db);
    StreamingQuery<Long> q = StreamingQuery.<Long>builder(ds, millionRows(db), rs -> rs.getLong(1))
        .fetchSize(500).build();
    long[] expected = {1};
    try (Stream<Long> s = q.stream(200_000L)) {
      s.forEach(v -> assertThat(v).isEqualTo(expected[0]++));
    }
    assertThat(expected[0]).isEqualTo(200_001);
    assertThat(q.recorder().snapshot().count()).isEqualTo(1);
  }

  @Test
  void earlyCloseOnPostgresLeavesNoSessionAndNoIdleTransaction() throws Exception {
    var pg = LoopbackServices.postgres();
    String app = "pkj_stream_" + ProcessHandle.current().pid();
    String url = pg.jdbcUrl() + (pg.jdbcUrl().contains("?") ? "&" : "?") + "ApplicationName=" + app;
    DataSource ds = new UrlDataSource(url, pg.user(), pg.password());
    StreamingQuery<Long> q = StreamingQuery.<Long>builder(ds, millionRows("postgres"),
        rs -> rs.getLong(1)).build();
    try (Connection admin = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
      long t0 = System.nanoTime();
      try (Stream<Long> s = q.stream(1_000_000L)) {
        Iterator<Long> it = s.iterator();
        for (int i = 0; i < 10; i++) {
          it.next();
        }
        assertThat(sessions(admin,
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + app
                + "' AND state = 'idle in transaction'")).isEqualTo(1);
      }
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(10);
      // the backend exits asynchronously after the client closes its socket: poll, bounded
      assertThat(eventually(admin,
          "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + app + "'")).isZero();
    }
  }

  @Test
  void earlyCloseOnMariadbLeavesNoRunningQuery() throws Exception {
    var m = LoopbackServices.mariadb();
    DataSource ds = new UrlDataSource(m.jdbcUrl(), m.user(), m.password());
    StreamingQuery<Long> q = StreamingQuery.<Long>builder(ds,
        "SELECT seq /* pkj_stream */ FROM seq_1_to_1000000 WHERE seq <= ?", rs -> rs.getLong(1)).build();
    try (Connection admin = DriverManager.getConnection(m.jdbcUrl(), m.user(), m.password())) {
      long t0 = System.nanoTime();
      long id;
      try (Stream<Long> s = q.stream(1_000_000L)) {
        Iterator<Long> it = s.iterator();
        for (int i = 0; i < 10; i++) {
          it.next();
        }
      }
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(10);
      assertThat(eventually(admin, "SELECT count(*) FROM information_schema.processlist "
          + "WHERE info LIKE '%pkj\\_stream */%' AND id <> CONNECTION_ID()")).isZero();
    }
  }

  /**
   * Issue 12 item 11: an exception from the row mapper or from a downstream stream operation closes
   * the cursor, ends the transaction and returns the connection, without try-with-resources.
   */
  @Test
  void anExceptionFromTheMapperOrDownstreamClosesEverythingEvenWithoutTryWithResources()
      throws Exception {
    var pg = LoopbackServices.postgres();
    String app = "pkj_stream_fail_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100_000;
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(pg.jdbcUrl() + (pg.jdbcUrl().contains("?") ? "&" : "?") + "ApplicationName=" + app);
    config.setUsername(pg.user());
    config.setPassword(pg.password());
    config.setPoolName(app);
    config.setMaximumPoolSize(3);
    config.setConnectionTimeout(2_000); // a leaked pool fails the 4th borrow in 2 s, not 30 s
    try (HikariDataSource pool = new HikariDataSource(config);
        Connection admin = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
      StreamingQuery<Long> q = StreamingQuery.<Long>builder(pool,
          "SELECT g FROM generate_series(1, 1000) g", rs -> {
            long v = rs.getLong(1);
            if (v == 10) {
              throw new IllegalStateException("mapper failed at row " + v);
            }
            return v;
          }).fetchSize(100).build();
      StreamingQuery<Long> plain = StreamingQuery.<Long>builder(pool,
          "SELECT g FROM generate_series(1, 1000) g", rs -> rs.getLong(1)).fetchSize(100).build();
      int rounds = 3 * config.getMaximumPoolSize() + 1;
      for (int i = 0; i < rounds; i++) {
        // no try-with-resources: the failure itself must release the cursor and the connection
        assertThatThrownBy(() -> q.stream().forEach(v -> { }))
            .isExactlyInstanceOf(IllegalStateException.class).hasMessage("mapper failed at row 10");
        RuntimeException downstream = new ArithmeticException("downstream failed");
        assertThatThrownBy(() -> plain.stream().map(v -> {
          if (v == 10) {
            throw downstream;
          }
          return v;
        }).forEach(v -> { })).isSameAs(downstream);
        AssertionError inConsumer = new AssertionError("consumer failed");
        assertThatThrownBy(() -> plain.stream().forEach(v -> {
          if (v == 10) {
            throw inConsumer;
          }
        })).isSameAs(inConsumer);
      }
      assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
      assertThat(sessions(admin, "SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
          + app + "' AND state = 'idle in transaction'")).isZero();
      // and the pool still serves every connection it has
      try (Stream<Long> all = plain.stream()) {
        assertThat(all.count()).isEqualTo(1_000);
      }
    }
  }

  @Test
  void badInputFailsFastNamingTheParameter() {
    DataSource ds = BatchWriterTest.dataSource("h2");
    assertThatThrownBy(() -> StreamingQuery.builder(ds, null, rs -> 1))
        .isInstanceOf(NullPointerException.class).hasMessage("sql must not be null");
    assertThatThrownBy(() -> StreamingQuery.builder(ds, "x", null))
        .isInstanceOf(NullPointerException.class).hasMessage("mapper must not be null");
    assertThatThrownBy(() -> StreamingQuery.builder(ds, "x", rs -> 1).fetchSize(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fetchSize must be positive but was -1");
  }

  private static long eventually(Connection admin, String sql) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long n;
    while ((n = sessions(admin, sql)) != 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return n;
  }

  private static long sessions(Connection admin, String sql) throws Exception {
    try (Statement st = admin.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
