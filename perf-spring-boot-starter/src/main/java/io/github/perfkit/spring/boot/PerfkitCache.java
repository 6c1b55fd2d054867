package io.github.perfkit.spring.boot;

import io.github.perfkit.cache.MemoizedFunction;
import java.util.concurrent.Callable;
import org.springframework.cache.support.AbstractValueAdaptingCache;

/**
 * A Spring {@link org.springframework.cache.Cache} that is a perfkit memoized cache: what
 * {@code @Cacheable}, {@code @CachePut} and {@code @CacheEvict} use when {@link PerfkitCacheManager}
 * is the application's cache manager. {@link #getNativeCache()} is the {@link MemoizedFunction},
 * with its hit-rate windows, {@link MemoizedFunction#checkTarget() target check} and metrics.
 *
 * <p>{@code @Cacheable(sync = true)} maps onto perfkit's loading: concurrent misses on one key run the
 * method once (stampede protection). Without {@code sync}, a miss is a {@code get} that counts a miss
 * and the method's result arrives by {@link #put}. Under {@code refreshAfterWrite}, the read that
 * finds a stale entry refreshes it on its own thread: with {@code sync = true} it re-runs the method
 * and returns the new value; without, the method is not at hand, so the stale value is returned
 * once and dropped, and the next call runs the method again.
 *
 * <p>Thread-safe. A hit costs about one Caffeine read; a {@link #put} is one refresh of the key on
 * the calling thread, stored when it returns. Caffeine's maintenance (eviction) also runs on the
 * threads that use the cache, as with a direct executor.
 */
public final class PerfkitCache extends AbstractValueAdaptingCache {

  private final String name;
  private final MemoizedFunction<Object, Object> memo;
  private final LoaderHandoff handoff = new LoaderHandoff();

  PerfkitCache(String name, boolean allowNullValues,
      java.util.function.Function<java.util.function.Function<Object, Object>,
          MemoizedFunction<Object, Object>> build) {
    super(allowNullValues);
    this.name = name;
    this.memo = build.apply(this::load);
  }

  private Object load(Object key) {
    return handoff.load(key, this::toStoreValue);
  }

  @Override
  public String getName() {
    return name;
  }

  /** @return the perfkit cache underneath, with its figures */
  @Override
  public MemoizedFunction<Object, Object> getNativeCache() {
    return memo;
  }

  @Override
  protected Object lookup(Object key) {
    return memo.apply(key); // counts a hit or a miss; a miss stores nothing
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(Object key, Callable<T> valueLoader) {
    return (T) fromStoreValue(handoff.withLoader(valueLoader, () -> memo.apply(key)));
  }

  @Override
  public void put(Object key, Object value) {
    handoff.put(key, toStoreValue(value), () -> memo.refresh(key).join());
  }

  @Override
  public void evict(Object key) {
    memo.invalidate(key);
  }

  @Override
  public boolean evictIfPresent(Object key) {
    boolean present = memo.getIfPresent(key) != null;
    memo.invalidate(key);
    return present;
  }

  @Override
  public void clear() {
    memo.invalidateAll();
  }

  @Override
  public boolean invalidate() {
    boolean any = memo.estimatedSize() > 0;
    memo.invalidateAll();
    return any;
  }
}
