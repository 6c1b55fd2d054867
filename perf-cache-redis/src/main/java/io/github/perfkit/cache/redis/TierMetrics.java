package io.github.perfkit.cache.redis;

import io.github.perfkit.cache.CacheMetrics;
import io.github.perfkit.core.internal.Require;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.ref.WeakReference;
import java.util.function.ToDoubleFunction;

/**
 * The Micrometer binder of a {@link TieredFunction}, reached through
 * {@link TieredFunction#metrics()}:
 * <ul>
 *   <li>the near cache (L1) as an ordinary perfkit cache, under Micrometer's cache names
 *       ({@code cache.gets{result}}, {@code cache.puts}, ... see {@link CacheMetrics}), so cache
 *       dashboards show the tier as one cache;
 *   <li>Redis (L2): {@code perfkit.cache.l2.gets{result=hit|miss}} (L1 misses Redis answered or
 *       not), {@code perfkit.cache.l2.puts}, {@code perfkit.cache.tier.fallbacks} (Redis operations
 *       skipped or failed), {@code perfkit.cache.tier.oversize}, {@code perfkit.cache.tier.l1.clears},
 *       {@code perfkit.cache.tier.stores.refused};
 *   <li>invalidations: {@code perfkit.cache.invalidations{direction=sent|received}},
 *       {@code perfkit.cache.invalidations.queued} and {@code .rejected} (counters),
 *       {@code perfkit.cache.invalidations.pending} (gauge of the outbox).
 * </ul>
 * Every meter carries the L1 binder's common tags ({@code cache}, Spring Boot's {@code cache.manager}
 * and {@code name} when Boot's cache metrics are on the class path, and the extra tags), so each
 * meter name has one set of tag keys. Keys never become tags. The binder holds the tier through a
 * weak reference. Immutable and thread-safe; the withers return new binders.
 */
public final class TierMetrics implements MeterBinder {

  private final WeakReference<TieredFunction<?, ?>> tier;
  private final CacheMetrics l1;

  private TierMetrics(WeakReference<TieredFunction<?, ?>> tier, CacheMetrics l1) {
    this.tier = tier;
    this.l1 = l1;
  }

  static TierMetrics of(TieredFunction<?, ?> tier) {
    return new TierMetrics(new WeakReference<>(tier), CacheMetrics.of(tier.l1()));
  }

  /**
   * This binder with more tags on every meter.
   *
   * @param keyValues an even number of strings; never keys
   * @return a new binder
   */
  public TierMetrics tags(String... keyValues) {
    return new TierMetrics(tier, l1.tags(keyValues));
  }

  /**
   * This binder with more tags on every meter.
   *
   * @param tags the tags; never keys
   * @return a new binder
   */
  public TierMetrics tags(Iterable<Tag> tags) {
    return new TierMetrics(tier, l1.tags(tags));
  }

  /**
   * This binder with Spring Boot's cache tags; see {@link CacheMetrics#cacheManager(String)}.
   *
   * @param cacheManager the {@code cache.manager} value
   * @return a new binder
   */
  public TierMetrics cacheManager(String cacheManager) {
    return new TierMetrics(tier, l1.cacheManager(cacheManager));
  }

  /**
   * This binder without Spring Boot's cache tags; see {@link CacheMetrics#withoutCacheManager()}.
   *
   * @return a new binder
   */
  public TierMetrics withoutCacheManager() {
    return new TierMetrics(tier, l1.withoutCacheManager());
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Require.notNull(registry, "registry");
    TieredFunction<?, ?> t = tier.get();
    if (t == null) {
      return;
    }
    l1.bindTo(registry);
    Tags tags = l1.commonTags();
    counter(registry, t, "perfkit.cache.l2.gets", tags.and("result", "hit"),
        f -> f.stats().l2Hits(), "L1 misses answered by Redis");
    counter(registry, t, "perfkit.cache.l2.gets", tags.and("result", "miss"),
        f -> f.stats().l2Misses(), "L1 misses Redis could not answer");
    counter(registry, t, "perfkit.cache.l2.puts", tags, f -> f.stats().l2Puts(),
        "Values written to Redis");
    counter(registry, t, "perfkit.cache.tier.fallbacks", tags, f -> f.stats().fallbacks(),
        "Redis operations skipped or failed; callers were served from L1 and the loader");
    counter(registry, t, "perfkit.cache.tier.oversize", tags, f -> f.stats().oversize(),
        "Values larger than maxValueBytes, kept in L1 only");
    counter(registry, t, "perfkit.cache.tier.stores.refused", tags,
        f -> f.stats().staleStoresRefused(),
        "Loaded values not written to Redis because their key was invalidated during the load");
    counter(registry, t, "perfkit.cache.tier.l1.clears", tags, f -> f.stats().l1Clears(),
        "L1 cleared because invalidations may have been missed (Redis reconnect)");
    counter(registry, t, "perfkit.cache.invalidations", tags.and("direction", "sent"),
        f -> f.stats().invalidationsSent(),
        "Invalidations delivered: Redis deleted the value and published the message");
    counter(registry, t, "perfkit.cache.invalidations", tags.and("direction", "received"),
        f -> f.stats().invalidationsReceived(), "Invalidation messages from other instances");
    counter(registry, t, "perfkit.cache.invalidations.queued", tags,
        f -> f.stats().invalidationsQueued(),
        "Invalidations Redis did not confirm at once, kept in the outbox and retried");
    counter(registry, t, "perfkit.cache.invalidations.rejected", tags,
        f -> f.stats().invalidationsRejected(),
        "Invalidations refused because the outbox was full: applied to the local L1 only");
    Gauge.builder("perfkit.cache.invalidations.pending", t,
            f -> f.stats().invalidationsPending())
        .tags(tags).description("Invalidations waiting in the outbox for Redis to confirm them")
        .register(registry);
  }

  private static void counter(MeterRegistry registry, TieredFunction<?, ?> tier, String name,
      Tags tags, ToDoubleFunction<TieredFunction<?, ?>> f, String description) {
    FunctionCounter.builder(name, tier, f).tags(tags).description(description).register(registry);
  }
}
