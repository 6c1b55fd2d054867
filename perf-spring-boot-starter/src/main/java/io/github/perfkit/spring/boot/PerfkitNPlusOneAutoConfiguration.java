package io.github.perfkit.spring.boot;

import io.github.perfkit.jdbc.TimedDataSource;
import io.github.perfkit.spring.boot.internal.RequestSqlFilter;
import io.github.perfkit.spring.boot.internal.RequestSqlSuspects;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * N+1 suspects: in a servlet application with DataSource timing on, a filter counts each request's
 * statements by SQL shape, and {@code /actuator/perfkit} lists the shapes one request ran at least
 * {@code perfkit.jdbc.n-plus-one.threshold} times, with the request's route and handler. Off with
 * {@code perfkit.jdbc.n-plus-one.enabled=false} (or {@code perfkit.jdbc.timing.enabled=false}).
 */
@AutoConfiguration(after = PerfkitJdbcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(value = TimedDataSource.class,
    name = "org.springframework.web.filter.OncePerRequestFilter")
@ConditionalOnProperty(prefix = "perfkit.jdbc.timing", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(PerfkitNPlusOneProperties.class)
public class PerfkitNPlusOneAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public PerfkitNPlusOneAutoConfiguration() {}

  /**
   * Where the suspects are kept.
   *
   * @param properties {@code perfkit.jdbc.n-plus-one.*}
   * @return the suspects
   */
  @Bean
  @ConditionalOnProperty(prefix = "perfkit.jdbc.n-plus-one", name = "enabled",
      matchIfMissing = true)
  RequestSqlSuspects perfkitRequestSqlSuspects(PerfkitNPlusOneProperties properties) {
    return new RequestSqlSuspects(properties.getThreshold(), properties.getMaxSuspects());
  }

  /**
   * The filter Boot registers for every request.
   *
   * @param suspects where it reports
   * @return the filter
   */
  @Bean
  @ConditionalOnProperty(prefix = "perfkit.jdbc.n-plus-one", name = "enabled",
      matchIfMissing = true)
  RequestSqlFilter perfkitRequestSqlFilter(RequestSqlSuspects suspects) {
    return new RequestSqlFilter(suspects);
  }
}
