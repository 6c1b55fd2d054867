package io.github.perfkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  @Test
  void badInputFailsFastNamingTheParameter() {
    DataSource ds = BatchWriterTest.dataSource("h2");
    assertThatThrownBy(() -> StreamingQuery.builder(ds, null, rs -> 1))
        .isInstanceOf(NullPointerException.class).hasMessage("sql");
    assertThatThrownBy(() -> StreamingQuery.builder(ds, "x", null))
        .isInstanceOf(NullPointerException.class).hasMessage("mapper");
    assertThatThrownBy(() -> StreamingQuery.builder(ds, "x", rs -> 1).fetchSize(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("fetchSize must be > 0 but was -1");
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
