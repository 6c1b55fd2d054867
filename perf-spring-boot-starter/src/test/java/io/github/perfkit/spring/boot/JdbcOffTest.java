package io.github.perfkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code perfkit.jdbc.timing.enabled=false}: Boot's own Hikari pool and its meters, unwrapped. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = StarterApp.class, properties = {"perfkit.jdbc.timing.enabled=false",
        "management.endpoints.web.exposure.include=prometheus"})
@AutoConfigureObservability
class JdbcOffTest {

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    Postgres.into(registry);
  }

  @Autowired TestRestTemplate http;
  @Autowired DataSource dataSource;

  @Test
  void bootsPoolIsLeftAsItIs() {
    assertThat(dataSource).isInstanceOf(HikariDataSource.class);
    assertThat(new JdbcTemplate(dataSource).queryForObject("SELECT 1", Integer.class)).isEqualTo(1);
    String scrape = http.getForObject("/actuator/prometheus", String.class);
    assertThat(scrape).contains("hikaricp_connections_active{").contains("jdbc_connections_max{")
        .doesNotContain("perfkit_jdbc_statement");
    // the perfkit endpoint is not reachable over HTTP unless exposed, like any actuator endpoint
    assertThat(http.getForEntity("/actuator/perfkit", String.class).getStatusCode().value())
        .isEqualTo(404);
  }
}
