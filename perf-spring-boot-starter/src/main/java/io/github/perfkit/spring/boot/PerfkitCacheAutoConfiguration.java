package io.github.perfkit.spring.boot;

import io.github.perfkit.cache.Memoizer;
import io.github.perfkit.spring.boot.internal.TierFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The perfkit {@link CacheManager} (bean {@code cacheManager}) when the application enables
 * caching ({@code @EnableCaching}), defines no cache manager of its own and leaves
 * {@code perfkit.cache.enabled} on. Runs before Boot's cache auto-configuration, which then backs
 * off; with {@code perfkit.cache.enabled=false} Boot's own manager takes over. With
 * {@code perfkit.cache.redis.enabled=true} its caches get a Redis tier over Boot's
 * {@code spring.data.redis.*} settings; that needs perf-cache-redis on the class path (start-up
 * fails, saying so, without it).
 */
// by name: Boot 4 moved both (spring-boot-cache, spring-boot-micrometer-metrics); names of classes
// that are absent are ignored, so one artifact orders itself on Boot 3.5 and 4.0
@AutoConfiguration(beforeName = {
    "org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration",
    "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration"},
    afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass({CacheManager.class, Memoizer.class})
@ConditionalOnBean(CacheAspectSupport.class)
@ConditionalOnMissingBean(value = CacheManager.class, name = "cacheManager")
@ConditionalOnProperty(prefix = "perfkit.cache", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(PerfkitCacheProperties.class)
public class PerfkitCacheAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public PerfkitCacheAutoConfiguration() {}

  /**
   * The manager; caches made at any time bind their meters to the application's registry.
   *
   * @param properties {@code perfkit.cache.*}
   * @param meterRegistry the registry, when Micrometer is configured
   * @param beans where the Redis tier is found, when {@code perfkit.cache.redis.enabled=true}
   * @return the manager
   */
  @Bean
  public PerfkitCacheManager cacheManager(PerfkitCacheProperties properties,
      ObjectProvider<MeterRegistry> meterRegistry, BeanFactory beans) {
    return new PerfkitCacheManager("cacheManager", properties.getSpecs(),
        properties.getDefaultSpec(), properties.isAllowNullValues(), cache -> {
          MeterRegistry registry = meterRegistry.getIfAvailable();
          if (registry != null) {
            cache.metrics().cacheManager("cacheManager").bindTo(registry);
          }
        }, beans.getBeanProvider(TierFactory.class).getIfAvailable()); // the Redis tier, if on
  }

  /** The Redis tier, when perf-cache-redis is on the class path and switched on. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.github.perfkit.cache.redis.RedisTier")
  @ConditionalOnProperty(prefix = "perfkit.cache.redis", name = "enabled")
  static class RedisTierConfiguration {

    @Bean
    TierFactory perfkitRedisTiers(PerfkitCacheProperties properties, Environment environment,
        ObjectProvider<MeterRegistry> meterRegistry) {
      return new RedisTierCaches(properties.getRedis(), environment,
          meterRegistry::getIfAvailable, "cacheManager");
    }
  }

  /** {@code perfkit.cache.redis.enabled=true} without perf-cache-redis: say so at start-up. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass("io.github.perfkit.cache.redis.RedisTier")
  @ConditionalOnProperty(prefix = "perfkit.cache.redis", name = "enabled")
  static class RedisTierMissing {
    RedisTierMissing() {
      throw new IllegalStateException("perfkit.cache.redis.enabled=true needs "
          + "io.github.perfkit:perf-cache-redis on the class path");
    }
  }
}
