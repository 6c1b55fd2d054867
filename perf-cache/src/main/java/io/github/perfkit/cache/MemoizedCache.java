package io.github.perfkit.cache;

import io.github.perfkit.core.LatencyRecorder;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What every memoized function, supplier and async function has in common: a name, its figures, a
 * target check, invalidation of everything, and metrics. Implementations are thread-safe.
 */
public interface MemoizedCache {

  /** @return the cache's name, as given to {@link Memoizer#named(String)} */
  String name();

  /**
   * The cache's figures now (lifetime and recent windows). Reading them costs a few microseconds; do
   * not call it per request.
   *
   * @return a snapshot
   */
  CacheStatistics stats();

  /**
   * Whether the cache meets its target hit ratio over the last five minutes, once it has served the
   * minimum number of requests there, with the figures that explain the verdict.
   *
   * @return the check's result
   */
  TargetCheck checkTarget();

  /**
   * The durations of this cache's loads (misses and refreshes), for percentiles of load time.
   *
   * @return the recorder, named {@code <cache>.load}
   */
  LatencyRecorder loadTimes();

  /** @return the approximate number of entries */
  long estimatedSize();

  /** Removes every entry. */
  void invalidateAll();

  /**
   * Publishes the cache's metrics under Micrometer's cache names ({@code cache.gets},
   * {@code cache.puts}, {@code cache.evictions}, {@code cache.eviction.weight}, {@code cache.size},
   * {@code cache.load.duration}, {@code cache.load}, tag {@code cache}) plus
   * {@code perfkit.cache.hit.ratio{window=1m|5m}} and a load-time timer. See {@link CacheMetrics}.
   *
   * @param registry the registry
   */
  default void bindTo(MeterRegistry registry) {
    CacheMetrics.of(this).bindTo(registry);
  }
}
