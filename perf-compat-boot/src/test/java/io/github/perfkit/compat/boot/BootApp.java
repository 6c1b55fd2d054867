package io.github.perfkit.compat.boot;

import io.github.perfkit.cache.CacheMetrics;
import io.github.perfkit.cache.MemoizedFunction;
import io.github.perfkit.cache.Memoizer;
import io.github.perfkit.core.LatencyRecorder;
import io.github.perfkit.core.PerfMetrics;
import io.github.perfkit.jdbc.TimedDataSource;
import io.github.perfkit.parallel.BoundedExecutor;
import io.github.perfkit.parallel.Parallel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Service;

/**
 * What a Boot user writes today to adopt perfkit without the starter: a perfkit cache and its
 * binder, an executor, a recorder, and TimedDataSource around Boot's Hikari pool, beside a Boot
 * {@code @Cacheable} cache.
 */
@SpringBootApplication
@EnableCaching
public class BootApp {

  @Bean
  MemoizedFunction<Long, String> users() {
    return Memoizer.named("users").maximumSize(1_000).build(id -> "user-" + id);
  }

  @Bean
  MeterBinder usersMetrics(MemoizedFunction<Long, String> users) {
    return CacheMetrics.of(users); // cache.manager="perfkit" next to Boot's cache meters
  }

  @Bean(destroyMethod = "close")
  BoundedExecutor fetchExecutor(MeterRegistry registry) {
    BoundedExecutor fetch = Parallel.io("fetch").maxConcurrency(16).build();
    fetch.metrics().bindTo(registry);
    return fetch;
  }

  @Bean
  LatencyRecorder checkout() {
    return LatencyRecorder.create("checkout");
  }

  @Bean
  MeterBinder checkoutMetrics(LatencyRecorder checkout) {
    return PerfMetrics.forRecorder(checkout).publishHistogram(true).build();
  }

  @Bean
  static BeanPostProcessor timedDataSource(org.springframework.beans.factory.ObjectProvider<
      MeterRegistry> registry) {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String name) {
        if (bean instanceof DataSource ds && !(bean instanceof TimedDataSource)) {
          TimedDataSource timed = TimedDataSource.builder(ds).name(name).build();
          timed.metrics().bindTo(registry.getObject());
          return timed;
        }
        return bean;
      }
    };
  }

  /** A Boot-managed cache. */
  @Service
  public static class Books {
    @Cacheable("books")
    public String title(long id) {
      return "book-" + id;
    }
  }
}
