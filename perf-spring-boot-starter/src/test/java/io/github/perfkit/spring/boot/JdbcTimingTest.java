package io.github.perfkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.github.perfkit.jdbc.TimedDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Boot's auto-configured Hikari pool on the real PostgreSQL, wrapped in TimedDataSource by the
 * starter: statement timers by shape beside Hikari's and Boot's pool meters, and unwrap reaches the
 * pool.
 */
class JdbcTimingTest extends StarterTestBase {

  @Autowired TestRestTemplate http;
  @Autowired DataSource dataSource;

  @Test
  void theAutoConfiguredDataSourceIsTimedAndUnwrapsToHikari() throws Exception {
    assertThat(dataSource).isInstanceOf(TimedDataSource.class);
    assertThat(dataSource.isWrapperFor(HikariDataSource.class)).isTrue();
    assertThat(dataSource.unwrap(HikariDataSource.class).getPoolName()).isEqualTo("boot-pool");

    new JdbcTemplate(dataSource).queryForObject("SELECT 1", Integer.class);

    String scrape = http.getForObject("/actuator/prometheus", String.class);
    assertThat(scrape)
        .contains("perfkit_jdbc_statement_seconds_count{datasource=\"dataSource\",shape=\"SELECT ?\"}")
        .contains("hikaricp_connections_active{pool=\"boot-pool\"}")
        .contains("jdbc_connections_max{name=\"dataSource\"} 10.0");
  }
}
