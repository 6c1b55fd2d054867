package io.github.perfkit.spring.boot;

import io.github.perfkit.cache.redis.TieredFunction;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.springframework.cache.support.AbstractValueAdaptingCache;

/**
 * A Spring {@link org.springframework.cache.Cache} with two tiers, what {@link PerfkitCacheManager}
 * makes when {@code perfkit.cache.redis.enabled=true} and perf-cache-redis is on the class path:
 * a perfkit near cache in this instance (L1, with its hit-rate windows and target check) and Redis
 * shared by every instance (L2). {@link #getNativeCache()} is the {@link TieredFunction}.
 *
 * <p>A read is answered by L1, then Redis, then (on {@code @Cacheable(sync = true)}, or by the
 * later {@link #put} without {@code sync}) the method, whose result goes to both tiers.
 * {@code @CacheEvict} ({@link #evict}, {@link #clear}) removes the key from this L1, from Redis and,
 * by a published message, from every other instance's L1 (see {@link TieredFunction#invalidate}
 * for the guarantees while Redis is down); {@code @CachePut} ({@link #put}) is that invalidation
 * followed by storing the new value in both tiers. Keys and values must be {@code Serializable}
 * (values are written with Java serialization, as with Spring's own Redis cache by default).
 *
 * <p>Thread-safe. An L1 hit costs a Caffeine read; an L1 miss one Redis round trip (bounded by
 * {@code perfkit.cache.redis.command-timeout}); an evict one; a put three (the invalidation, a
 * read and the store). Spring puts after every miss of a {@code @Cacheable} without {@code sync},
 * so prefer {@code @Cacheable(sync = true)} on tiered caches: its miss is one read, one load and
 * one store, with no invalidation, and one load per key per instance.
 */
public final class PerfkitRedisCache extends AbstractValueAdaptingCache {

  private final String name;
  private final TieredFunction<Object, Object> tier;
  private final LoaderHandoff handoff = new LoaderHandoff();

  PerfkitRedisCache(String name, boolean allowNullValues,
      Function<Function<Object, Object>, TieredFunction<Object, Object>> build) {
    super(allowNullValues);
    this.name = name;
    this.tier = build.apply(this::load);
  }

  private Object load(Object key) {
    return handoff.load(key, this::toStoreValue);
  }

  @Override
  public String getName() {
    return name;
  }

  /** @return the two-level cache underneath, with its figures and Redis status */
  @Override
  public TieredFunction<Object, Object> getNativeCache() {
    return tier;
  }

  @Override
  protected Object lookup(Object key) {
    return tier.apply(key);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(Object key, Callable<T> valueLoader) {
    return (T) fromStoreValue(handoff.withLoader(valueLoader, () -> tier.apply(key)));
  }

  @Override
  public void put(Object key, Object value) {
    handoff.put(key, toStoreValue(value), () -> {
      // the old value leaves Redis and every L1 first; then the refresh finds Redis empty, takes
      // the new value from the handoff and writes it to both tiers
      tier.invalidate(key);
      tier.l1().refresh(key).join();
      // Caffeine enters the refreshed value into L1 on the refreshing thread just after the future
      // completes: wait a moment for it (a peek, no stats), or the next read is a miss. Only the
      // L1 hit depends on it; Redis has the value already.
      for (int i = 0; i < 1_000 && tier.l1().getIfPresent(key) == null; i++) {
        Thread.yield();
      }
    });
  }

  @Override
  public void evict(Object key) {
    tier.invalidate(key);
  }

  @Override
  public boolean evictIfPresent(Object key) {
    boolean present = tier.l1().getIfPresent(key) != null;
    tier.invalidate(key);
    return present;
  }

  @Override
  public void clear() {
    tier.invalidateAll();
  }

  @Override
  public boolean invalidate() {
    boolean any = tier.l1().estimatedSize() > 0;
    tier.invalidateAll();
    return any;
  }
}
