package io.github.perfkit.cache.redis;

import io.github.perfkit.cache.CacheMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.function.ToDoubleFunction;

/** Meters of a {@link TieredFunction}; keys never become tags. */
final class TierMetrics {

  private TierMetrics() {}

  static void bind(TieredFunction<?, ?> tier, MeterRegistry registry) {
    CacheMetrics.of(tier.l1(), Tags.of("tier", "l1")).bindTo(registry);
    Tags l2 = Tags.of("cache", tier.name(), "tier", "l2");
    counter(registry, tier, "cache.gets", l2.and("result", "hit"), t -> t.stats().l2Hits(),
        "L1 misses answered by Redis");
    counter(registry, tier, "cache.gets", l2.and("result", "miss"), t -> t.stats().l2Misses(),
        "L1 misses Redis could not answer");
    counter(registry, tier, "cache.puts", l2, t -> t.stats().l2Puts(),
        "Values written to Redis");
    counter(registry, tier, "cache.tier.fallbacks", l2, t -> t.stats().fallbacks(),
        "Redis operations skipped or failed; callers were served from L1 and the loader");
    counter(registry, tier, "cache.tier.oversize", l2, t -> t.stats().oversize(),
        "Values larger than maxValueBytes, kept in L1 only");
    Tags cache = Tags.of("cache", tier.name());
    counter(registry, tier, "cache.invalidations", cache.and("direction", "sent"),
        t -> t.stats().invalidationsSent(), "Invalidation messages published");
    counter(registry, tier, "cache.invalidations", cache.and("direction", "received"),
        t -> t.stats().invalidationsReceived(), "Invalidation messages from other instances");
    counter(registry, tier, "cache.tier.l1.clears", cache, t -> t.stats().l1Clears(),
        "L1 cleared because invalidations may have been missed (Redis reconnect)");
  }

  private static void counter(MeterRegistry registry, TieredFunction<?, ?> tier, String name,
      Tags tags, ToDoubleFunction<TieredFunction<?, ?>> f, String description) {
    FunctionCounter.builder(name, tier, f).tags(tags).description(description).register(registry);
  }
}
