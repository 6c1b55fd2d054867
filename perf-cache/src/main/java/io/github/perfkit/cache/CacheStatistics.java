package io.github.perfkit.cache;

import java.time.Duration;
import java.util.Map;

/**
 * An immutable snapshot of a memoized cache's figures. Counters are lifetime totals unless named
 * otherwise; each moves as follows:
 * <ul>
 *   <li>{@code hits}: a request answered with a value already in the cache;
 *   <li>{@code misses}: a request that found no value (or an expired one): it either started a load
 *       or waited for another caller's load of the same key, so in a stampede of N callers on one
 *       key there are N misses and one load;
 *   <li>{@code loadSuccesses}/{@code loadFailures}: a load (or refresh) that returned a value (null
 *       included) or threw; {@code totalLoadTime} adds both;
 *   <li>{@code evictions}: entries removed by the cache's policy, by cause (size, expiry, collected);
 *       explicit invalidations are not evictions;
 *   <li>{@code puts}: values stored by a successful load.
 * </ul>
 *
 * @param name the cache's name
 * @param lifetime hits and misses since the cache was created
 * @param lastMinute hits and misses over about the last minute
 * @param lastFiveMinutes hits and misses over about the last five minutes
 * @param loadSuccesses loads that returned
 * @param loadFailures loads that threw
 * @param totalLoadTime time spent in loads
 * @param puts values stored by loads
 * @param evictions evictions by cause ({@code SIZE}, {@code EXPIRED}, {@code COLLECTED})
 * @param evictionWeight total weight of evicted entries
 * @param size the estimated number of entries now
 */
public record CacheStatistics(String name, HitRatio lifetime, HitRatio lastMinute,
    HitRatio lastFiveMinutes, long loadSuccesses, long loadFailures, Duration totalLoadTime, long puts,
    Map<String, Long> evictions, long evictionWeight, long size) {

  /** Copies the evictions map. */
  public CacheStatistics {
    evictions = Map.copyOf(evictions);
  }

  /** @return the lifetime hit ratio */
  public double hitRatio() {
    return lifetime.ratio();
  }

  /** @return loads attempted: successes plus failures */
  public long loads() {
    return loadSuccesses + loadFailures;
  }

  /** @return the mean load time, zero when nothing was loaded */
  public Duration meanLoadTime() {
    long loads = loads();
    return loads == 0 ? Duration.ZERO : totalLoadTime.dividedBy(loads);
  }

  /** @return evictions of every cause */
  public long evictionCount() {
    return evictions.values().stream().mapToLong(Long::longValue).sum();
  }
}
