package io.github.perfkit.compat.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.cache.MemoizedFunction;
import io.github.perfkit.core.LatencyRecorder;
import io.github.perfkit.parallel.BoundedExecutor;
import io.github.perfkit.testkit.LoopbackServices;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Spring Boot 3.5.7 application on real PostgreSQL through HikariCP: a perfkit cache, a Boot
 * {@code @Cacheable} cache, a perfkit executor, TimedDataSource and a recorder all appear in
 * {@code /actuator/prometheus}, and no meter registration fails.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = BootApp.class, properties = {
        "management.endpoints.web.exposure.include=prometheus,metrics,caches",
        "management.metrics.tags.application=compat-boot",
        "spring.cache.cache-names=books",
        "spring.cache.caffeine.spec=maximumSize=100,recordStats",
        "spring.datasource.hikari.pool-name=boot-pool"})
@ExtendWith(OutputCaptureExtension.class)
@AutoConfigureObservability // Boot's tests turn metrics export off unless asked
class BootPrometheusTest {

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    LoopbackServices.Service pg = LoopbackServices.postgres();
    registry.add("spring.datasource.url", pg::jdbcUrl);
    registry.add("spring.datasource.username", pg::user);
    registry.add("spring.datasource.password", pg::password);
  }

  @Autowired TestRestTemplate http;
  @Autowired MemoizedFunction<Long, String> users;
  @Autowired BootApp.Books books;
  @Autowired BoundedExecutor fetchExecutor;
  @Autowired LatencyRecorder checkout;
  @Autowired DataSource dataSource;

  @Test
  void everyPerfkitMeterAppearsBesideBootsWithoutARegistrationFailure(CapturedOutput output)
      throws Exception {
    users.apply(1L);
    users.apply(1L);
    books.title(7);
    books.title(7);
    fetchExecutor.map(List.of(1, 2, 3), x -> x * 2);
    checkout.record(12_000_000L);
    new JdbcTemplate(dataSource).queryForObject("SELECT 1", Integer.class);

    String scrape = http.getForObject("/actuator/prometheus", String.class);
    assertThat(scrape)
        .contains("cache_gets_total{application=\"compat-boot\",cache=\"users\","
            + "cache_manager=\"perfkit\",name=\"users\",result=\"hit\"} 1.0")
        .contains("cache_gets_total{application=\"compat-boot\",cache=\"books\","
            + "cache_manager=\"cacheManager\",name=\"books\",result=\"hit\"} 1.0")
        .contains("executor_completed_tasks_total{application=\"compat-boot\",name=\"fetch\"}")
        .contains("perfkit_latency_seconds_count{application=\"compat-boot\",name=\"checkout\"} 1")
        .contains("perfkit_latency_histogram_total{application=\"compat-boot\",le=\"+Inf\","
            + "name=\"checkout\"} 1.0")
        .contains("hikaricp_connections_active{application=\"compat-boot\",pool=\"boot-pool\"}")
        // Boot's pool meters reach Hikari through TimedDataSource.unwrap
        .contains("jdbc_connections_max{application=\"compat-boot\",name=\"dataSource\"} 10.0");
    assertThat(scrape).contains("perfkit_jdbc_statement_seconds_count{application=\"compat-boot\","
        + "datasource=\"dataSource\",shape=\"SELECT ?\"}");
    assertThat(output.getAll()).doesNotContainIgnoringCase("registration has failed")
        .doesNotContain("same set of tag keys");
  }
}
