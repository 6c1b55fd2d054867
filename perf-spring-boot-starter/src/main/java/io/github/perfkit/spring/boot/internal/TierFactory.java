package io.github.perfkit.spring.boot.internal;

import io.github.perfkit.cache.CacheRegistry;
import org.springframework.cache.Cache;

/**
 * Makes the Redis-tier caches of a {@code PerfkitCacheManager}; an interface without Redis types,
 * so that the manager loads when perf-cache-redis is absent. Implementations are thread-safe.
 */
public interface TierFactory extends AutoCloseable {

  /**
   * @param cacheName a cache name
   * @return whether that cache gets a Redis tier
   */
  boolean covers(String cacheName);

  /**
   * Checks at start-up that a spec can be honoured by a tiered cache.
   *
   * @param property the property the spec came from
   * @param spec the spec
   * @throws IllegalArgumentException naming the property and the setting otherwise
   */
  void check(String property, CacheSpec spec);

  /**
   * Makes a tiered cache.
   *
   * @param name the cache name
   * @param spec its spec (the near cache's size and time to live)
   * @param allowNullValues whether null results are cached
   * @param registry where its near cache is listed
   * @return the Spring cache
   */
  Cache create(String name, CacheSpec spec, boolean allowNullValues, CacheRegistry registry);

  /** Closes every cache made and the Redis client. */
  @Override
  void close();
}
