package io.github.perfkit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CacheMetricsTest {

  private static MemoizedFunction<String, String> exercised(String name) {
    MemoizedFunction<String, String> memo = Memoizer.named(name).executor(Runnable::run)
        .maximumSize(2).build(k -> {
          if (k.startsWith("bad")) {
            throw new IllegalArgumentException("no " + k);
          }
          return "v-" + k;
        });
    memo.apply("secret-key-1");
    memo.apply("secret-key-1");
    memo.apply("secret-key-1");
    memo.apply("secret-key-2");
    memo.apply("secret-key-3");
    memo.apply("secret-key-4");
    try {
      memo.apply("bad-key");
    } catch (IllegalArgumentException expected) {
      // counted as a failed load
    }
    return memo;
  }

  @Test
  void metersUseMicrometersCaffeineBinderNamesAndTags() {
    MeterRegistry registry = new SimpleMeterRegistry();
    MemoizedFunction<String, String> memo = exercised("users");
    memo.metrics().bindTo(registry);
    CacheStatistics s = memo.stats();
    assertThat(registry.get("cache.gets").tag("cache", "users").tag("result", "hit")
        .functionCounter().count()).isEqualTo(2);
    assertThat(registry.get("cache.gets").tag("cache", "users").tag("result", "miss")
        .functionCounter().count()).isEqualTo(5);
    assertThat(registry.get("cache.puts").tag("cache", "users").functionCounter().count())
        .isEqualTo(4);
    assertThat(registry.get("cache.load").tag("result", "success").functionCounter().count())
        .isEqualTo(4);
    assertThat(registry.get("cache.load").tag("result", "failure").functionCounter().count())
        .isEqualTo(1);
    assertThat(registry.get("cache.evictions").functionCounter().count())
        .isEqualTo(s.evictionCount()).isGreaterThanOrEqualTo(2);
    assertThat(registry.get("cache.eviction.weight").functionCounter().count())
        .isEqualTo(s.evictionWeight());
    assertThat(registry.get("cache.size").gauge().value()).isEqualTo(s.size());
    // the time gauge converts nanoseconds to seconds and back, so the double can be off in the
    // last bit (31106.000000000004 for 31106 was seen in CI): compare to within a nanosecond
    assertThat(registry.get("cache.load.duration").timeGauge().value(TimeUnit.NANOSECONDS))
        .isCloseTo(s.totalLoadTime().toNanos(), within(1.0));
    assertThat(registry.get("perfkit.cache.hit.ratio").tag("window", "1m").gauge().value())
        .isEqualTo(2.0 / 7);
    assertThat(registry.get("perfkit.cache.hit.ratio").tag("window", "5m").gauge()).isNotNull();
    assertThat(registry.get("perfkit.cache.load").tag("cache", "users")
        .functionTimer().count()).isEqualTo(5);
    assertThat(registry.find("perfkit.latency").meters()).isEmpty();
  }

  @Test
  void aPrometheusScrapeHoldsTheStandardCacheMetricNamesAndNoKeys() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MemoizedFunction<String, String> orders = exercised("orders"); // binders hold caches weakly
    orders.metrics().bindTo(registry);
    for (int i = 0; i < 3; i++) {
      System.gc(); // a collection must not cut the meters off a live cache
    }
    String scrape = registry.scrape();
    assertThat(scrape)
        .contains("cache_gets_total{cache=\"orders\",result=\"hit\"} 2.0")
        .contains("cache_gets_total{cache=\"orders\",result=\"miss\"} 5.0")
        .contains("cache_puts_total{cache=\"orders\"} 4.0")
        .contains("cache_evictions_total{cache=\"orders\"}")
        .contains("cache_eviction_weight_total{cache=\"orders\"}")
        .contains("cache_size{cache=\"orders\"}")
        .contains("cache_load_duration_seconds{cache=\"orders\"}")
        .contains("cache_load_total{cache=\"orders\",result=\"failure\"} 1.0")
        .contains("perfkit_cache_hit_ratio{cache=\"orders\",window=\"1m\"}")
        .doesNotContain("secret-key").doesNotContain("bad-key");
    assertThat(orders.estimatedSize()).isPositive();
  }
}
