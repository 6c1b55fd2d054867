package io.github.perfkit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Spring Boot binds its caches with {@code CaffeineCacheMetrics} and a {@code cache.manager} tag; a
 * perfkit cache in the same Prometheus registry must keep both visible, whichever binds first.
 */
class CacheMetricsBesideBootTest {

  private static PrometheusMeterRegistry registry(List<String> failures) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().onMeterRegistrationFailed((id, reason) -> failures.add(id.getName() + ": "
        + reason));
    return registry;
  }

  private static Cache<String, String> bootCache(PrometheusMeterRegistry registry) {
    Cache<String, String> cache = Caffeine.newBuilder().recordStats().build();
    cache.put("k", "v");
    cache.getIfPresent("k");
    // What Spring Boot's CacheMetricsRegistrar does for a Caffeine cache of bean 'cacheManager'.
    CaffeineCacheMetrics.monitor(registry, cache, "books", Tags.of("cache.manager", "cache",
        "name", "books"));
    return cache;
  }

  private static MemoizedFunction<String, String> perfkitCache(String name) {
    MemoizedFunction<String, String> memo = Memoizer.named(name).build(k -> "v" + k);
    memo.apply("a");
    memo.apply("a");
    return memo;
  }

  @Test
  void aPerfkitCacheTaggedWithACacheManagerCoexistsWithBootsInEitherOrder() {
    for (boolean bootFirst : new boolean[] {true, false}) {
      List<String> failures = new CopyOnWriteArrayList<>();
      PrometheusMeterRegistry registry = registry(failures);
      MemoizedFunction<String, String> users = perfkitCache("users");
      Cache<String, String> books = null;
      if (bootFirst) {
        books = bootCache(registry);
      }
      CacheMetrics.of(users).cacheManager("perfkit").bindTo(registry);
      if (!bootFirst) {
        books = bootCache(registry);
      }
      String scrape = registry.scrape();
      assertThat(failures).as("boot first: " + bootFirst).isEmpty();
      assertThat(scrape)
          .contains("cache_gets_total{cache=\"users\",cache_manager=\"perfkit\",name=\"users\",result=\"hit\"} 1.0")
          .contains("cache_gets_total{cache=\"books\",cache_manager=\"cache\",name=\"books\",result=\"hit\"} 1.0")
          .contains("cache_puts_total{cache=\"users\",cache_manager=\"perfkit\",name=\"users\"}")
          .contains("cache_size{cache=\"books\",cache_manager=\"cache\",name=\"books\"}")
          .contains("perfkit_cache_load_seconds_count{cache=\"users\",cache_manager=\"perfkit\",name=\"users\"}");
      assertThat(books.estimatedSize()).isEqualTo(1);
      assertThat(users.estimatedSize()).isEqualTo(1);
    }
  }

  @Test
  void inAPlainMicrometerAppTheTagsAreCaffeineCacheMetricsOwn() {
    MemoizedFunction<String, String> users = perfkitCache("users");
    // Spring Boot is not on this module's test class path.
    assertThat(CacheMetrics.of(users).commonTags()).extracting(io.micrometer.core.instrument.Tag::getKey)
        .containsExactly("cache");
    assertThat(CacheMetrics.of(users).cacheManager("m").commonTags())
        .extracting(io.micrometer.core.instrument.Tag::getKey).containsExactly("cache", "cache.manager", "name");
  }
}
