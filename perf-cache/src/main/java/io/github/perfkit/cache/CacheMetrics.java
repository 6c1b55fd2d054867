package io.github.perfkit.cache;

import io.github.perfkit.core.PerfMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.ref.WeakReference;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a memoized cache under exactly the meter names and tags of Micrometer's own Caffeine
 * binder, so existing cache dashboards work unchanged:
 * <ul>
 *   <li>{@code cache.gets{result=hit|miss}}, {@code cache.puts}, {@code cache.evictions},
 *       {@code cache.eviction.weight}, {@code cache.load{result=success|failure}} (function counters),
 *   <li>{@code cache.size} (gauge), {@code cache.load.duration} (time gauge of total load time),
 * </ul>
 * all tagged {@code cache=<name>} plus any extra tags; and perfkit's own:
 * <ul>
 *   <li>{@code perfkit.cache.hit.ratio{window=1m|5m}}: the hit ratio over the recent window (a gauge;
 *       what an operator wants to see today rather than the average since start);
 *   <li>the load-time timer with client-side percentiles, {@code perfkit.latency{name=<cache>.load}}
 *       (see {@link PerfMetrics}).
 * </ul>
 * Keys never become tags. The binder holds the cache through a weak reference. Thread-safe.
 */
public final class CacheMetrics implements MeterBinder {

  private final WeakReference<MemoizedCache> cache; // this binder must not keep the cache alive
  private final String name;
  private final Tags tags;

  private CacheMetrics(MemoizedCache cache, Iterable<Tag> extraTags) {
    this.cache = new WeakReference<>(cache);
    this.name = cache.name();
    this.tags = Tags.of(extraTags).and("cache", cache.name());
  }

  /**
   * A binder for one cache.
   *
   * @param cache the cache
   * @return the binder
   */
  public static CacheMetrics of(MemoizedCache cache) {
    return of(cache, Tags.empty());
  }

  /**
   * A binder for one cache, with extra tags on every meter.
   *
   * @param cache the cache
   * @param extraTags tags such as the service name; never keys
   * @return the binder
   */
  public static CacheMetrics of(MemoizedCache cache, Iterable<Tag> extraTags) {
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(extraTags, "extraTags");
    return new CacheMetrics(cache, extraTags);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    MemoizedCache target = cache.get();
    if (target == null) {
      return;
    }
    counter(registry, target, "cache.gets", Tags.of("result", "hit"), s -> s.lifetime().hits(),
        "The number of times cache lookup methods have returned a cached value.");
    counter(registry, target, "cache.gets", Tags.of("result", "miss"), s -> s.lifetime().misses(),
        "The number of times cache lookup methods have returned an uncached (newly loaded) value");
    counter(registry, target, "cache.puts", Tags.empty(), CacheStatistics::puts,
        "The number of entries added to the cache");
    counter(registry, target, "cache.evictions", Tags.empty(), CacheStatistics::evictionCount,
        "The number of times the cache was evicted.");
    counter(registry, target, "cache.eviction.weight", Tags.empty(), CacheStatistics::evictionWeight,
        "The sum of weights of evicted entries. This total does not include manual invalidations.");
    counter(registry, target, "cache.load", Tags.of("result", "success"), CacheStatistics::loadSuccesses,
        "The number of times cache lookup methods have successfully loaded a new value");
    counter(registry, target, "cache.load", Tags.of("result", "failure"), CacheStatistics::loadFailures,
        "The number of times cache lookup methods failed to load a new value");
    MemoizedCache live = target;
    // Micrometer holds each meter's state object (the cache) weakly and reads NaN once it is gone.
    Gauge.builder("cache.size", live, MemoizedCache::estimatedSize).tags(tags).description("The number of entries in this cache.").register(registry);
    TimeGauge.builder("cache.load.duration", live, TimeUnit.NANOSECONDS,
        read(s -> (double) s.totalLoadTime().toNanos()))
        .tags(tags).description("The time the cache has spent loading new values").register(registry);
    Gauge.builder("perfkit.cache.hit.ratio", live, read(s -> s.lastMinute().ratio()))
        .tags(tags.and("window", "1m")).description("Hit ratio over about the last minute")
        .register(registry);
    Gauge.builder("perfkit.cache.hit.ratio", live, read(s -> s.lastFiveMinutes().ratio()))
        .tags(tags.and("window", "5m")).description("Hit ratio over about the last five minutes")
        .register(registry);
    PerfMetrics.forRecorder(live.loadTimes()).tags(Tags.of("cache", name)).build()
        .bindTo(registry);
  }

  private void counter(MeterRegistry registry, MemoizedCache target, String meter, Tags extra,
      java.util.function.ToLongFunction<CacheStatistics> f, String description) {
    FunctionCounter.builder(meter, target, read(s -> (double) f.applyAsLong(s)))
        .tags(tags.and(extra)).description(description).register(registry);
  }

  private static ToDoubleFunction<MemoizedCache> read(ToDoubleFunction<CacheStatistics> f) {
    return c -> f.applyAsDouble(c.stats());
  }
}
