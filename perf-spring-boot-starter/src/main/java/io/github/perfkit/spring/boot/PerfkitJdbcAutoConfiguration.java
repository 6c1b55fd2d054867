package io.github.perfkit.spring.boot;

import io.github.perfkit.jdbc.TimedDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import javax.sql.DataSource;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Every {@link DataSource} bean, Boot's auto-configured pool included, wrapped in a
 * {@link TimedDataSource} named after the bean: {@code perfkit.jdbc.statement{datasource, shape}}
 * timers, while {@code unwrap} still reaches the pool, so Hikari's {@code hikaricp.*} meters and
 * Boot's {@code jdbc.connections.*} keep working. Off with {@code perfkit.jdbc.timing.enabled=false}.
 */
// by name: Boot 4 moved it to spring-boot-jdbc
@AutoConfiguration(afterName = {
    "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
@ConditionalOnClass({DataSource.class, TimedDataSource.class})
@ConditionalOnProperty(prefix = "perfkit.jdbc.timing", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(PerfkitJdbcProperties.class)
public class PerfkitJdbcAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public PerfkitJdbcAutoConfiguration() {}

  /**
   * Wraps each DataSource bean once (static, so that it is made before the data sources).
   *
   * @param environment where {@code perfkit.jdbc.timing.*} is read
   * @return the post-processor
   */
  @Bean
  public static BeanPostProcessor perfkitTimedDataSourcePostProcessor(Environment environment) {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource ds && !(bean instanceof TimedDataSource)) {
          PerfkitJdbcProperties p = Binder.get(environment)
              .bind("perfkit.jdbc.timing", Bindable.of(PerfkitJdbcProperties.class))
              .orElseGet(PerfkitJdbcProperties::new);
          return TimedDataSource.builder(ds).name(beanName).slowThreshold(p.getSlowThreshold())
              .maxShapes(p.getMaxShapes()).build();
        }
        return bean;
      }
    };
  }

  /**
   * Binds the timers of every TimedDataSource bean.
   *
   * @param beans where the data sources are found, when the registry binds
   * @return the binder
   */
  @Bean
  @ConditionalOnClass(MeterRegistry.class)
  public MeterBinder perfkitDataSourceMetrics(ListableBeanFactory beans) {
    return registry -> beans.getBeansOfType(DataSource.class, false, false).values().forEach(ds -> {
      if (ds instanceof TimedDataSource timed) {
        timed.metrics().bindTo(registry);
      }
    });
  }
}
