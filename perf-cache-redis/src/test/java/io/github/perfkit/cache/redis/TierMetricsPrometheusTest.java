package io.github.perfkit.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.testkit.LoopbackServices;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every meter of the tier registers in a real Prometheus registry: one tag-key set per name. */
class TierMetricsPrometheusTest {

  @Test
  void everyMeterOfTwoCachesRegistersInPrometheusWithoutKeys() {
    var redis = LoopbackServices.redis();
    String uri = "redis://" + redis.host() + ":" + redis.port();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    List<String> failures = new ArrayList<>();
    registry.config().onMeterRegistrationFailed((id, reason) -> failures.add(id + ": " + reason));
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    try (TieredFunction<Long, String> users = RedisTier.<Long, String>named("users-" + suffix)
            .redis(uri).keys(KeyCodec.longs()).values(ValueCodec.strings())
            .build(k -> "v" + k);
        TieredFunction<Long, String> orders = RedisTier.<Long, String>named("orders-" + suffix)
            .redis(uri).keys(KeyCodec.longs()).values(ValueCodec.strings())
            .build(k -> "v" + k)) {
      users.metrics().bindTo(registry);
      orders.metrics().bindTo(registry);
      // a plain perfkit cache in the same registry: same names, same tag keys
      io.github.perfkit.cache.Memoizer.named("plain-" + suffix).build(k -> k).metrics()
          .bindTo(registry);
      users.apply(987_654_321L);
      orders.apply(987_654_321L);
      assertThat(users.invalidate(987_654_321L)).isEqualTo(InvalidationStatus.DELIVERED);
      String scrape = registry.scrape();
      assertThat(failures).isEmpty();
      assertThat(scrape)
          .contains("cache_gets_total{cache=\"users-" + suffix + "\",result=\"miss\"} 1.0")
          .contains("perfkit_cache_l2_gets_total{cache=\"users-" + suffix + "\",result=\"miss\"} 1.0")
          .contains("perfkit_cache_invalidations_total{cache=\"users-" + suffix
              + "\",direction=\"sent\"} 1.0")
          .contains("perfkit_cache_invalidations_pending{cache=\"orders-" + suffix + "\"} 0.0")
          .contains("perfkit_cache_invalidations_queued_total{cache=\"users-" + suffix + "\"} 0.0")
          .contains("perfkit_cache_invalidations_rejected_total{cache=\"users-" + suffix
              + "\"} 0.0")
          .contains("perfkit_cache_tier_stores_refused_total{cache=\"users-" + suffix
              + "\"} 0.0")
          .doesNotContain("987654321");
    }
  }
}
