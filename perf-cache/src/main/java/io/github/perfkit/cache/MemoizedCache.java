package io.github.perfkit.cache;

import io.github.perfkit.core.LatencyRecorder;

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
   * This cache's Micrometer binder: Micrometer's cache names ({@code cache.gets},
   * {@code cache.puts}, {@code cache.evictions}, {@code cache.eviction.weight}, {@code cache.size},
   * {@code cache.load.duration}, {@code cache.load}, tag {@code cache}) plus
   * {@code perfkit.cache.hit.ratio{window=1m|5m}} and the load timer {@code perfkit.cache.load}.
   * The same as {@code CacheMetrics.of(this)}; see {@link CacheMetrics} for the tags next to Spring
   * Boot.
   *
   * <pre>{@code
   * users.metrics().bindTo(meterRegistry);
   * }</pre>
   *
   * @return a binder to configure further or bind
   */
  default CacheMetrics metrics() {
    return CacheMetrics.of(this);
  }
}
