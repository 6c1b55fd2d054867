package io.github.perfkit.cache;

import io.github.perfkit.core.PerfMetrics;
import io.github.perfkit.core.internal.Require;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.ref.WeakReference;
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
 * all tagged {@code cache=<name>} (and {@code cache.manager}, see below) plus any extra tags; and
 * perfkit's own:
 * <ul>
 *   <li>{@code perfkit.cache.hit.ratio{window=1m|5m}}: the hit ratio over the recent window (a gauge;
 *       what an operator wants to see today rather than the average since start);
 *   <li>the load-time timer with client-side percentiles over a recent window,
 *       {@code perfkit.cache.load} with the same tags (see {@link PerfMetrics}).
 * </ul>
 *
 * <p><b>Beside Spring Boot's cache meters.</b> Spring Boot (3.5) tags its cache meters with
 * {@code cache.manager} (the cache manager's bean name) and {@code name} (the cache's name again),
 * and Prometheus accepts one set of tag keys per meter name: perfkit's {@code cache.gets} without
 * those tags and Boot's with them cannot both be registered, and which one is lost depends on bean
 * order. So when Spring Boot's cache metrics are on the class path, perfkit's cache meters carry
 * {@code cache.manager="perfkit"} and {@code name=<cache>} by default; in a plain Micrometer
 * application they carry exactly Micrometer's {@code CaffeineCacheMetrics} tags.
 * {@link #cacheManager(String)} and {@link #withoutCacheManager()} choose explicitly.
 *
 * <p>Keys never become tags. The binder holds the cache through a weak reference. Immutable and
 * thread-safe; the withers return new binders.
 */
public final class CacheMetrics implements MeterBinder {

  /** The {@code cache.manager} value perfkit uses by default next to Spring Boot. */
  public static final String DEFAULT_CACHE_MANAGER = "perfkit";

  private static final boolean SPRING_BOOT_CACHE_METRICS = springBootCacheMetricsPresent();

  private final WeakReference<MemoizedCache> cache; // this binder must not keep the cache alive
  private final String name;
  private final Tags extraTags;
  private final String cacheManager; // null: no cache.manager tag

  private CacheMetrics(WeakReference<MemoizedCache> cache, String name, Tags extraTags,
      String cacheManager) {
    this.cache = cache;
    this.name = name;
    this.extraTags = extraTags;
    this.cacheManager = cacheManager;
  }

  private static boolean springBootCacheMetricsPresent() {
    for (String type : new String[] {
        "org.springframework.boot.actuate.metrics.cache.CacheMetricsRegistrar", // Boot 2-3
        "org.springframework.boot.cache.metrics.CacheMetricsRegistrar", // Boot 4
    }) {
      try {
        Class.forName(type, false, CacheMetrics.class.getClassLoader());
        return true;
      } catch (ClassNotFoundException | LinkageError e) {
        // not this one
      }
    }
    return false;
  }

  /**
   * This binder with Spring Boot's cache tags on every meter: {@code cache.manager} and
   * {@code name} (the cache's name, as Boot repeats it).
   *
   * @param cacheManager the tag's value, such as the cache manager's name
   * @return a new binder
   * @throws NullPointerException if {@code cacheManager} is null
   * @throws IllegalArgumentException if {@code cacheManager} is blank
   */
  public CacheMetrics cacheManager(String cacheManager) {
    Require.notBlank(cacheManager, "cacheManager");
    return new CacheMetrics(cache, name, extraTags, cacheManager);
  }

  /**
   * This binder without Spring Boot's tags, whatever is on the class path: exactly
   * Micrometer's {@code CaffeineCacheMetrics} tags.
   *
   * @return a new binder
   */
  public CacheMetrics withoutCacheManager() {
    return new CacheMetrics(cache, name, extraTags, null);
  }

  /**
   * This binder with more tags on every meter.
   *
   * @param tags such as the service name; never keys
   * @return a new binder
   */
  public CacheMetrics tags(Iterable<Tag> tags) {
    Require.notNull(tags, "tags");
    return new CacheMetrics(cache, name, extraTags.and(tags), cacheManager);
  }

  /**
   * This binder with more tags on every meter, as key-value pairs.
   *
   * @param keyValues an even number of strings, such as {@code "service", "search"}; never keys
   * @return a new binder
   * @throws IllegalArgumentException if the count is odd
   */
  public CacheMetrics tags(String... keyValues) {
    Require.notNull(keyValues, "keyValues");
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("keyValues must come in pairs but had "
          + keyValues.length + " elements");
    }
    return tags(Tags.of(keyValues));
  }

  /**
   * The tags every meter of this binder carries besides its own ({@code result}, {@code window}).
   *
   * @return {@code cache}, {@code cache.manager} and {@code name} when on, and the extra tags
   */
  public Tags commonTags() {
    Tags t = extraTags.and("cache", name);
    return cacheManager == null ? t : t.and("cache.manager", cacheManager).and("name", name);
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
    Require.notNull(cache, "cache");
    Require.notNull(extraTags, "extraTags");
    return new CacheMetrics(new WeakReference<>(cache), cache.name(), Tags.of(extraTags),
        SPRING_BOOT_CACHE_METRICS ? DEFAULT_CACHE_MANAGER : null);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Require.notNull(registry, "registry");
    MemoizedCache target = cache.get();
    if (target == null) {
      return;
    }
    Tags tags = commonTags();
    counter(registry, tags, target, "cache.gets", Tags.of("result", "hit"), s -> s.lifetime().hits(),
        "The number of times cache lookup methods have returned a cached value.");
    counter(registry, tags, target, "cache.gets", Tags.of("result", "miss"), s -> s.lifetime().misses(),
        "The number of times cache lookup methods have returned an uncached (newly loaded) value");
    counter(registry, tags, target, "cache.puts", Tags.empty(), CacheStatistics::puts,
        "The number of entries added to the cache");
    counter(registry, tags, target, "cache.evictions", Tags.empty(), CacheStatistics::evictionCount,
        "The number of times the cache was evicted.");
    counter(registry, tags, target, "cache.eviction.weight", Tags.empty(), CacheStatistics::evictionWeight,
        "The sum of weights of evicted entries. This total does not include manual invalidations.");
    counter(registry, tags, target, "cache.load", Tags.of("result", "success"), CacheStatistics::loadSuccesses,
        "The number of times cache lookup methods have successfully loaded a new value");
    counter(registry, tags, target, "cache.load", Tags.of("result", "failure"), CacheStatistics::loadFailures,
        "The number of times cache lookup methods failed to load a new value");
    MemoizedCache live = target;
    // Micrometer holds each meter's state object (the cache) weakly and reads NaN once it is gone.
    Gauge.builder("cache.size", live, MemoizedCache::estimatedSize).tags(tags)
        .description("The number of entries in this cache.").register(registry);
    TimeGauge.builder("cache.load.duration", live, TimeUnit.NANOSECONDS,
        read(s -> (double) s.totalLoadTime().toNanos()))
        .tags(tags).description("The time the cache has spent loading new values").register(registry);
    Gauge.builder("perfkit.cache.hit.ratio", live, read(s -> s.lastMinute().ratio()))
        .tags(tags.and("window", "1m")).description("Hit ratio over about the last minute")
        .register(registry);
    Gauge.builder("perfkit.cache.hit.ratio", live, read(s -> s.lastFiveMinutes().ratio()))
        .tags(tags.and("window", "5m")).description("Hit ratio over about the last five minutes")
        .register(registry);
    PerfMetrics.forRecorder(live.loadTimes()).meterName("perfkit.cache.load").tags(tags).build()
        .bindTo(registry);
  }

  private static void counter(MeterRegistry registry, Tags tags, MemoizedCache target, String meter,
      Tags extra,
      java.util.function.ToLongFunction<CacheStatistics> f, String description) {
    FunctionCounter.builder(meter, target, read(s -> (double) f.applyAsLong(s)))
        .tags(tags.and(extra)).description(description).register(registry);
  }

  private static ToDoubleFunction<MemoizedCache> read(ToDoubleFunction<CacheStatistics> f) {
    return c -> f.applyAsDouble(c.stats());
  }
}
