package io.github.perfkit.spring.boot;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@code perfkit} actuator endpoint, when the actuator is on the class path and the endpoint is
 * available (not switched off by {@code management.endpoint.perfkit.access=none}, and exposed).
 */
@AutoConfiguration(after = {PerfkitCacheAutoConfiguration.class, PerfkitJdbcAutoConfiguration.class,
    PerfkitExecutorAutoConfiguration.class, PerfkitNPlusOneAutoConfiguration.class})
@ConditionalOnClass(Endpoint.class)
@ConditionalOnAvailableEndpoint(endpoint = PerfkitEndpoint.class)
@EnableConfigurationProperties(PerfkitEndpointProperties.class)
public class PerfkitEndpointAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public PerfkitEndpointAutoConfiguration() {}

  /**
   * The endpoint.
   *
   * @param beans where it finds caches, executors and data sources
   * @param properties {@code perfkit.endpoint.*}
   * @return the endpoint
   */
  @Bean
  @ConditionalOnMissingBean
  public PerfkitEndpoint perfkitEndpoint(ListableBeanFactory beans,
      PerfkitEndpointProperties properties) {
    return new PerfkitEndpoint(beans, properties.getProfileMaxDuration(), properties.getSqlShapes());
  }
}
