package io.github.perfkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;

/**
 * {@code perfkit.cache.redis.enabled=true} without perf-cache-redis on the class path fails at
 * start-up saying what is missing; without the property the manager starts with local caches.
 */
class RedisTierMissingTest {

  @Configuration
  @EnableCaching
  static class Caching {}

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withClassLoader(new FilteredClassLoader("io.github.perfkit.cache.redis."))
      .withConfiguration(AutoConfigurations.of(PerfkitCacheAutoConfiguration.class,
          CacheAutoConfiguration.class))
      .withUserConfiguration(Caching.class);

  @Test
  void enabledWithoutTheModuleFailsNamingIt() {
    runner.withPropertyValues("perfkit.cache.redis.enabled=true").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessage("perfkit.cache.redis.enabled=true needs io.github.perfkit:perf-cache-redis "
              + "on the class path");
    });
  }

  @Test
  void withoutThePropertyTheCachesAreLocal() {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(PerfkitCacheManager.class).getCache("any"))
          .isInstanceOf(PerfkitCache.class);
    });
  }
}
