package io.github.perfkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.jdbc.TimedDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** Each part backs off when the application has its own bean, and a bad spec stops start-up. */
class UserBeansTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(PerfkitCacheAutoConfiguration.class,
          CacheAutoConfiguration.class, PerfkitJdbcAutoConfiguration.class));

  @Configuration
  @EnableCaching
  static class OwnCacheManager {
    @Bean
    CacheManager cacheManager() {
      return new ConcurrentMapCacheManager();
    }
  }

  @Configuration
  @EnableCaching
  static class Caching {}

  @Configuration
  static class OwnTimedDataSource {
    static final TimedDataSource MINE =
        TimedDataSource.builder(new SimpleDriverDataSource()).name("mine").build();

    @Bean
    DataSource dataSource() {
      return MINE;
    }
  }

  @Test
  void aCacheManagerOfTheApplicationWins() {
    runner.withUserConfiguration(OwnCacheManager.class).run(context -> {
      assertThat(context).hasSingleBean(CacheManager.class);
      assertThat(context.getBean(CacheManager.class)).isInstanceOf(ConcurrentMapCacheManager.class);
    });
  }

  @Test
  void withoutEnableCachingThereIsNoPerfkitCacheManager() {
    runner.run(context -> assertThat(context).doesNotHaveBean(PerfkitCacheManager.class));
  }

  @Test
  void withEnableCachingThePerfkitCacheManagerServes() {
    runner.withUserConfiguration(Caching.class).run(context ->
        assertThat(context).getBean(CacheManager.class).isInstanceOf(PerfkitCacheManager.class));
  }

  @Test
  void aBadSpecStopsStartUpNamingTheProperty() {
    runner.withUserConfiguration(Caching.class)
        .withPropertyValues("perfkit.cache.specs.users=maximumSize=many").run(context ->
            assertThat(context).hasFailed().getFailure().rootCause()
                .hasMessageContaining("perfkit.cache.specs.users").hasMessageContaining("maximumSize"));
  }

  @Test
  void aTimedDataSourceOfTheApplicationIsNotWrappedAgain() {
    runner.withUserConfiguration(OwnTimedDataSource.class).run(context -> {
      assertThat(context.getBean(DataSource.class)).isSameAs(OwnTimedDataSource.MINE);
    });
  }
}
