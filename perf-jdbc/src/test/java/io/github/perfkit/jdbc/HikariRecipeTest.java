package io.github.perfkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.github.perfkit.testkit.LoopbackServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Iterator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The HikariCP recipe from README, with its Micrometer metrics, and a backend killed mid-stream. */
class HikariRecipeTest {

  @Test
  void terminatedBackendMidStreamGivesAClearExceptionAndThePoolDoesNotLeak() throws Exception {
    var pg = LoopbackServices.postgres();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // --- recipe ---
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(pg.jdbcUrl());
    config.setUsername(pg.user());
    config.setPassword(pg.password());
    config.setPoolName("pkj-pool");
    config.setMaximumPoolSize(2);
    config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
    try (HikariDataSource pool = new HikariDataSource(config)) {
      TimedDataSource timed = TimedDataSource.builder(pool).name("orders-db").build();
      timed.metrics().bindTo(registry); // perfkit.jdbc.statement{datasource,shape}
      // --- end recipe ---
      StreamingQuery<Long> q = StreamingQuery.<Long>builder(timed,
          "SELECT g FROM generate_series(1, 1000000) g", rs -> rs.getLong(1)).fetchSize(100).build();
      int pid;
      try (Stream<Long> s = q.stream()) {
        Iterator<Long> it = s.iterator();
        it.next();
        try (Connection admin = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
            ResultSet rs = admin.createStatement().executeQuery(
                "SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT g FROM generate_series%'"
                    + " AND pid <> pg_backend_pid()")) {
          assertThat(rs.next()).isTrue();
          pid = rs.getInt(1);
          admin.createStatement().execute("SELECT pg_terminate_backend(" + pid + ")");
        }
        assertThatThrownBy(() -> {
          while (it.hasNext()) {
            it.next();
          }
        }).isInstanceOf(UncheckedSqlException.class).hasMessageContaining("streaming query failed");
      }
      assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
      // the pool still serves queries after evicting the dead connection
      try (Connection c = pool.getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
        assertThat(rs.next()).isTrue();
      }
      assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
      assertThat(registry.get("hikaricp.connections.active").tag("pool", "pkj-pool").gauge().value()).isZero();
      assertThat(registry.get("hikaricp.connections.acquire").timer().count()).isGreaterThanOrEqualTo(2);
      assertThat(registry.get("perfkit.jdbc.statement").tag("datasource", "orders-db").functionTimer()
          .count()).isPositive();
    }
  }
}
